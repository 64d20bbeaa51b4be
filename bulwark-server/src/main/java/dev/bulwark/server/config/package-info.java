/**
 * The YAML configuration of one {@code bulwark node}: {@link dev.bulwark.server.config.BulwarkConfig}
 * loads, validates and maps it to the domain objects the node runtime wires together.
 *
 * <p>Every error names the file, line and column, the field path, what was wrong and what was
 * expected; see {@link dev.bulwark.server.config.ConfigException} and {@code docs/configuration.md}.
 */
@NullMarked
package dev.bulwark.server.config;

import org.jspecify.annotations.NullMarked;
