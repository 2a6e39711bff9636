/**
 * The load benchmark against aiortc: server processes, client peers, measurement and the report.
 *
 * <p>May depend on: anything of the project, internal packages included, {@code io.fastrtc.bench.soak}
 * and the test jars.
 */
package io.fastrtc.bench.load;
