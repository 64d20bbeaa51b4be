/**
 * Bulwark's vocabulary: validated, immutable value types shared by every module (services,
 * endpoints, targets, plans, generations, pointers, fencing tokens, epochs, AZs and actors).
 *
 * <p>Nothing here does I/O or reads a clock. Every type validates in its constructor and throws
 * {@link java.lang.IllegalArgumentException} naming what was wrong and what was expected.
 */
@NullMarked
package dev.bulwark.core;

import org.jspecify.annotations.NullMarked;
