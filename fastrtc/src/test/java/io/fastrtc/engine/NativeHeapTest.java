package io.fastrtc.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativeHeapTest {

    /** The JVMs we support (17.0.9+) trim through their diagnostic command; without it RSS creeps up per connection. */
    @Test
    void thisJvmCanTrimTheNativeHeap() {
        assertThat(NativeHeap.trim()).isTrue();
    }
}
