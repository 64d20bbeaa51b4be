/**
 * Implementation of the DNS module: the immutable zone snapshot, the pure RFC 2136 update
 * evaluator and query responder, the durable zone store, and a small DNS wire client. Not an API;
 * other modules must not depend on these types.
 */
@NullMarked
package dev.bulwark.dns.internal;

import org.jspecify.annotations.NullMarked;
