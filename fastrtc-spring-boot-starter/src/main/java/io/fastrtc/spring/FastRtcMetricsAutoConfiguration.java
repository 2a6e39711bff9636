package io.fastrtc.spring;

import io.fastrtc.micrometer.MicrometerTelemetry;
import io.fastrtc.stream.FastRtc;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Metrics for the {@link FastRtc} runtime bean: when the application has Micrometer and a {@link
 * MeterRegistry} bean (Actuator makes one) and {@code fastrtc-micrometer} is on the class path, a
 * {@link MicrometerTelemetry} on that registry becomes a {@code Telemetry} bean, which the runtime
 * reports to. With {@code micrometer-registry-prometheus}, {@code /actuator/prometheus} then shows
 * the {@code fastrtc_*} series. Declare your own {@code MicrometerTelemetry} bean to replace it.
 */
@AutoConfiguration(before = FastRtcAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MicrometerTelemetry.class, FastRtc.class})
@ConditionalOnBean(MeterRegistry.class)
public class FastRtcMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MicrometerTelemetry fastRtcMicrometerTelemetry(MeterRegistry registry) {
        return new MicrometerTelemetry(registry);
    }
}
