package io.annexsync.transfer.remote.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameParserTest {
    private static final byte[] WIRE = "VERSION 1\r\nDATA 5\nhelloVALID\nDATA 0\nINVALID\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final List<String> FRAMES = List.of("VERSION 1", "DATA 5", "<hello>", "VALID", "DATA 0",
            "INVALID");

    /** The frames of {@code wire} fed in pieces of {@code step} bytes, bodies gathered per DATA. */
    static List<String> parse(byte[] wire, int step) throws Exception {
        FrameParser parser = new FrameParser();
        List<String> out = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < wire.length; i += step) {
            ByteBuffer piece = ByteBuffer.wrap(wire, i, Math.min(step, wire.length - i)).slice();
            FrameParser.Frame f;
            while ((f = parser.next(piece)) != null) {
                if (f instanceof FrameParser.Frame.Line line) {
                    out.add(P2PCodec.format(line.message()));
                } else if (f instanceof FrameParser.Frame.Body b) {
                    body.append(StandardCharsets.ISO_8859_1.decode(b.bytes()));
                    if (b.last()) {
                        out.add("<" + body + ">");
                        body.setLength(0);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void givesTheSameFramesHoweverTheBytesArrive() throws Exception {
        for (int step = 1; step <= WIRE.length; step++) {
            assertThat(parse(WIRE, step)).as("pieces of %d", step).isEqualTo(FRAMES);
        }
    }

    @Test
    void aLineOfTheLimitPassesAndOneByteMoreIsRefused() throws Exception {
        String ok = "ERROR " + "x".repeat(P2PCodec.MAX_LINE - 6);
        assertThat(parse((ok + "\r\n").getBytes(StandardCharsets.US_ASCII), 4096)).containsExactly(ok);
        byte[] tooLong = ("ERROR " + "x".repeat(P2PCodec.MAX_LINE - 5) + "\n").getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> parse(tooLong, 4096)).isInstanceOf(P2PProtocolException.class)
                .hasMessageContaining("line longer than 32768 bytes");
    }

    @Test
    void anEndlessLineIsRefusedWithoutGatheringIt() throws Exception {
        FrameParser parser = new FrameParser();
        ByteBuffer chunk = ByteBuffer.wrap(new byte[1024]);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 1_000_000; i++) {
                parser.next(chunk.rewind());
            }
        }).isInstanceOf(P2PProtocolException.class);
    }

    @Test
    void theStreamReaderGivesMessagesAndStreamsBodies() throws Exception {
        StreamConnection c = new StreamConnection(new ByteArrayInputStream(WIRE), new ByteArrayOutputStream(), "t");
        assertThat(c.receive()).isEqualTo(new P2PMessage.Version(1));
        assertThat(c.receive()).isEqualTo(new P2PMessage.Data(5));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        assertThat(c.receiveBody(body)).isEqualTo(5);
        assertThat(body.toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(c.receive()).isEqualTo(new P2PMessage.Valid());
        assertThat(c.receive()).isEqualTo(new P2PMessage.Data(0));
        assertThat(c.receiveBody(body)).isZero();
        assertThat(c.receive()).isEqualTo(new P2PMessage.Invalid());
        assertThatThrownBy(c::receive).isInstanceOf(EOFException.class);
    }

    @Test
    void aBodyCutShortKeepsWhatArrivedAndSaysHowMuchIsMissing() throws Exception {
        byte[] cut = "DATA 10\nhello".getBytes(StandardCharsets.US_ASCII);
        StreamConnection c = new StreamConnection(new ByteArrayInputStream(cut), new ByteArrayOutputStream(), "peer");
        c.receive();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        assertThatThrownBy(() -> c.receiveBody(body)).isInstanceOf(EOFException.class)
                .hasMessageContaining("5 bytes of DATA still to come");
        assertThat(body.toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    @Test
    void theNettyDecoderGivesTheSameFrames() {
        EmbeddedChannel ch = new EmbeddedChannel(new P2PFrameDecoder());
        for (byte b : WIRE) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        List<String> out = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        Object o;
        while ((o = ch.readInbound()) != null) {
            if (o instanceof ByteBuf b) {
                body.append(b.toString(StandardCharsets.ISO_8859_1));
                b.release();
                if (body.length() == 5) {
                    out.add("<" + body + ">");
                }
            } else {
                out.add(P2PCodec.format((P2PMessage) o));
            }
        }
        assertThat(out).isEqualTo(FRAMES);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void theNettyEncoderWritesLines() {
        EmbeddedChannel ch = new EmbeddedChannel(new P2PMessageEncoder());
        ch.writeOutbound(new P2PMessage.PutFrom(7));
        ByteBuf line = ch.readOutbound();
        assertThat(line.toString(StandardCharsets.US_ASCII)).isEqualTo("PUT-FROM 7\n");
        line.release();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
