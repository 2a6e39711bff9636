package io.fastrtc.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class VideoFrameTest {

    @Test
    void rgbRoundTripKeepsColoursWithinLimitedRangeRounding() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.WHITE, Color.BLACK, new Color(120, 60, 200)};
        for (int i = 0; i < colours.length; i++) {
            g.setColor(colours[i]);
            g.fillRect(0, i * 8, 64, 8);
        }
        g.dispose();
        BufferedImage back = VideoFrame.fromImage(image).toImage();
        for (int i = 0; i < colours.length; i++) {
            Color got = new Color(back.getRGB(32, i * 8 + 4));
            assertThat(Math.abs(got.getRed() - colours[i].getRed())).as("red of band %d", i).isLessThanOrEqualTo(4);
            assertThat(Math.abs(got.getGreen() - colours[i].getGreen())).as("green of band %d", i).isLessThanOrEqualTo(4);
            assertThat(Math.abs(got.getBlue() - colours[i].getBlue())).as("blue of band %d", i).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void flipsAndMirrorsOnThePlanes() {
        int[] rgb = new int[3 * 2];
        rgb[0] = 0xffffff; // top-left white, the rest black
        VideoFrame frame = VideoFrame.fromRgb(3, 2, rgb);
        assertThat(frame.lumaAt(0, 0)).isEqualTo(235);
        VideoFrame flipped = frame.flipVertical();
        assertThat(flipped.lumaAt(0, 1)).isEqualTo(235);
        assertThat(flipped.lumaAt(0, 0)).isEqualTo(16);
        VideoFrame mirrored = frame.flipHorizontal();
        assertThat(mirrored.lumaAt(2, 0)).isEqualTo(235);
        assertThat(frame.flipVertical().flipVertical().toRgb()).isEqualTo(frame.toRgb());
    }

    @Test
    void oddSizesHaveRoundedUpChromaPlanes() {
        VideoFrame frame = VideoFrame.fromRgb(5, 3, new int[15]);
        assertThat(frame.u().remaining()).isEqualTo(3 * 2);
        assertThat(frame.toImage().getWidth()).isEqualTo(5);
    }

    @Test
    void copiesStridedPlanesAndWritesThemBack() {
        VideoFrame source = VideoFrame.fromRgb(4, 2, new int[] {0, 0x808080, 0xffffff, 0, 0, 0, 0, 0xff0000});
        ByteBuffer y = ByteBuffer.allocate(8 * 2);
        ByteBuffer u = ByteBuffer.allocate(4);
        ByteBuffer v = ByteBuffer.allocate(4);
        source.copyTo(y, 8, u, 4, v, 4);
        VideoFrame copy = VideoFrame.copyOf(4, 2, y, 8, u, 4, v, 4, 0);
        assertThat(copy.toRgb()).isEqualTo(source.toRgb());
    }

    @Test
    void rejectsBadSizesAndPlanes() {
        assertThatThrownBy(() -> VideoFrame.fromRgb(0, 10, new int[0])).hasMessageContaining("0x10");
        assertThatThrownBy(() -> VideoFrame.ofI420(4, 4, new byte[16], new byte[3], new byte[4]))
                .hasMessageContaining("U plane has 3 bytes but 4 are needed");
        assertThatThrownBy(() -> VideoFrame.fromRgb(2, 2, new int[3])).hasMessageContaining("RGB plane");
    }

    @Test
    void planeViewsAreReadOnly() {
        VideoFrame frame = VideoFrame.fromRgb(2, 2, new int[4]);
        assertThat(frame.y().isReadOnly()).isTrue();
    }
}
