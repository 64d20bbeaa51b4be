/**
 * Metrics and logging for the {@code bulwark} program: {@link
 * dev.bulwark.server.metrics.MicrometerMetrics} adapts the core {@code Metrics} port to Micrometer,
 * {@link dev.bulwark.server.metrics.PrometheusEndpoint} builds the Prometheus registry and its
 * scrape text, and {@link dev.bulwark.server.metrics.LogSetup} chooses the log format and level
 * before the first logger exists. Names and labels are listed in {@code docs/metrics.md}.
 */
@NullMarked
package dev.bulwark.server.metrics;

import org.jspecify.annotations.NullMarked;
