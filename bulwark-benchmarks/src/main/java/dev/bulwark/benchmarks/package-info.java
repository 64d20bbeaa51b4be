/**
 * JMH benchmarks of Bulwark's hot paths. Each benchmark drives the real components through their
 * public API; the fixtures make sure that what is measured is accepted work, never a rejection.
 * Results and the commands that produced them are in {@code docs/benchmarks.md}.
 */
@NullMarked
package dev.bulwark.benchmarks;

import org.jspecify.annotations.NullMarked;
