/** End-to-end tests of the web console in a real browser (Selenium, headless Debian chromium). */
@NullMarked
package dev.bulwark.server.console;

import org.jspecify.annotations.NullMarked;
