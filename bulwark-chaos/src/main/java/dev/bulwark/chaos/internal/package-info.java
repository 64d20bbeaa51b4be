/**
 * Implementation details of the game-day module: the located YAML tree that scenario errors point
 * into. Not an API; may change at any time.
 */
@NullMarked
package dev.bulwark.chaos.internal;

import org.jspecify.annotations.NullMarked;
