/**
 * Implementation details of the core shared across its packages: the canonical binary encoding.
 * Not an API; other modules must not depend on it.
 */
@NullMarked
package dev.bulwark.core.internal;

import org.jspecify.annotations.NullMarked;
