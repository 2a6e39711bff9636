/**
 * The leak soak: a server process cycled through connect/stream/disconnect, sampled for RSS and
 * malloc.
 *
 * <p>May depend on: anything of the project, internal packages included, and the test jars.
 */
package io.fastrtc.bench.soak;
