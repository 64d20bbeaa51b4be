/**
 * The {@code bulwark} client commands ({@code status}, {@code services}, {@code plans}, {@code
 * audit}, {@code pause}, {@code resume}, {@code approve}, {@code reject}, {@code pin}, {@code
 * unpin}, {@code rollback}): thin picocli commands over the HTTP API. {@link
 * dev.bulwark.server.cli.ClientCommands#all()} lists them for registration as subcommands; options
 * and exit codes are in {@code docs/cli.md}.
 */
@NullMarked
package dev.bulwark.server.cli;

import org.jspecify.annotations.NullMarked;
