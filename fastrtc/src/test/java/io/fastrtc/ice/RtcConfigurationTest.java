package io.fastrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RtcConfigurationTest {

    @Test
    void writesTheBrowserShapeLeavingOutAbsentCredentials() {
        RtcConfiguration config = RtcConfiguration.of(IceServer.of("stun:s.example.net:3478"),
                IceServer.of("turn:t.example.net:3478?transport=udp", "u", "c"))
                .withIceTransportPolicy(IceConfig.TransportPolicy.RELAY);
        assertThat(config.toJson()).isEqualTo("{\"iceServers\":[{\"urls\":[\"stun:s.example.net:3478\"]},"
                + "{\"urls\":[\"turn:t.example.net:3478?transport=udp\"],\"username\":\"u\",\"credential\":\"c\"}],"
                + "\"iceTransportPolicy\":\"relay\"}");
        assertThat(RtcConfiguration.fromJson(config.toJson())).isEqualTo(config);
        assertThat(RtcConfiguration.NONE.toJson()).isEqualTo("{\"iceServers\":[],\"iceTransportPolicy\":\"all\"}");
    }

    @Test
    void readsUrlsAsAStringOrAListAndIgnoresOtherMembers() {
        RtcConfiguration config = RtcConfiguration.fromJson("{\"iceServers\":[{\"urls\":\"stun:s.example.net\"},"
                + "{\"urls\":[\"turn:a.example.net\",\"turns:b.example.net\"],\"username\":\"u\",\"credential\":\"c\","
                + "\"credentialType\":\"password\"}],\"bundlePolicy\":\"max-bundle\"}");
        assertThat(config).isEqualTo(new RtcConfiguration(List.of(IceServer.of("stun:s.example.net"),
                new IceServer(List.of("turn:a.example.net", "turns:b.example.net"), "u", "c")),
                IceConfig.TransportPolicy.ALL));
    }

    @Test
    void becomesTheServerSideIceConfig() {
        IceServer turn = IceServer.of("turn:t.example.net:3478", "u", "c");
        IceConfig ice = RtcConfiguration.of(turn).withIceTransportPolicy(IceConfig.TransportPolicy.RELAY).toIceConfig();
        assertThat(ice).isEqualTo(new IceConfig(List.of(turn), IceConfig.TransportPolicy.RELAY, 0, 0));
    }

    @Test
    void malformedConfigurationsAreExplained() {
        assertThatThrownBy(() -> RtcConfiguration.fromJson("{\"iceServers\":")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> RtcConfiguration.fromJson("{}")).hasMessageContaining("no \"iceServers\" list");
        assertThatThrownBy(() -> RtcConfiguration.fromJson("{\"iceServers\":[{\"username\":\"u\"}]}"))
                .hasMessageContaining("has no \"urls\"");
        assertThatThrownBy(() -> RtcConfiguration.fromJson("{\"iceServers\":[],\"iceTransportPolicy\":\"none\"}"))
                .hasMessageContaining("iceTransportPolicy \"none\" is not supported: use \"all\" or \"relay\"");
    }
}
