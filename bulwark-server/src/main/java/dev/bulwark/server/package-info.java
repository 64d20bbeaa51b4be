/**
 * The {@code bulwark} program: the command line ({@link dev.bulwark.server.Main}) and the wiring of
 * the embedded control plane that {@code bulwark up} runs ({@link
 * dev.bulwark.server.EmbeddedControlPlane}).
 */
@NullMarked
package dev.bulwark.server;

import org.jspecify.annotations.NullMarked;
