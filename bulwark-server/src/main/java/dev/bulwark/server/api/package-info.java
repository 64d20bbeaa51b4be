/**
 * Bulwark's HTTP API, {@code /api/v1}: read the ledger, the cluster and what DNS publishes; act as
 * an operator (pause, resume, pin, unpin, roll back) or an approver (approve, reject) through
 * ledger commands that carry the caller's identity into the audit chain. Start it with {@link
 * dev.bulwark.server.api.ApiServer#start}; routes, roles and errors are listed in {@code
 * docs/api.md}.
 */
@NullMarked
package dev.bulwark.server.api;

import org.jspecify.annotations.NullMarked;
