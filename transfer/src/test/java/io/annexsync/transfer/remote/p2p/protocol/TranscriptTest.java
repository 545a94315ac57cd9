package io.annexsync.transfer.remote.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conversations recorded against real git-annex-shell p2pstdio (P2PClientGitAnnexIT, both directions, raw bytes)
 * read back through both adapters of the parser: every line is a message we know, and writing the messages and
 * bodies out again gives back exactly git-annex's bytes.
 */
class TranscriptTest {
    static Stream<Path> transcripts() throws Exception {
        Path dir = Path.of(TranscriptTest.class.getResource("/p2p").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(f -> f.toString().endsWith(".c2s") || f.toString().endsWith(".s2c"))
                    .sorted().toList();
            assertThat(all).hasSizeGreaterThanOrEqualTo(10);
            return all.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("transcripts")
    void theStreamReaderReadsGitAnnexsBytesAndWritesThemBackExactly(Path transcript) throws Exception {
        byte[] wire = Files.readAllBytes(transcript);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        StreamConnection reader = new StreamConnection(new ByteArrayInputStream(wire), new ByteArrayOutputStream(),
                transcript.getFileName().toString());
        StreamConnection writer = new StreamConnection(InputStream.nullInputStream(), again, "copy");
        while (true) {
            P2PMessage m;
            try {
                m = reader.receive();
            } catch (EOFException end) {
                break;
            }
            assertThat(m).as(transcript.getFileName().toString()).isNotInstanceOf(P2PMessage.Unknown.class);
            if (m instanceof P2PMessage.Data data) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                assertThat(reader.receiveBody(body)).isEqualTo(data.length());
                writer.sendData(new ByteArrayInputStream(body.toByteArray()), data.length());
            } else {
                writer.send(m);
            }
        }
        assertThat(again.toByteArray()).isEqualTo(wire);
    }

    @ParameterizedTest
    @MethodSource("transcripts")
    void theNettyDecoderReadsGitAnnexsBytesInAnyPieces(Path transcript) throws Exception {
        byte[] wire = Files.readAllBytes(transcript);
        for (int step : new int[] {1, 7, 4096}) {
            EmbeddedChannel ch = new EmbeddedChannel(new P2PFrameDecoder(), new P2PMessageEncoder());
            for (int i = 0; i < wire.length; i += step) {
                ch.writeInbound(Unpooled.wrappedBuffer(wire, i, Math.min(step, wire.length - i)));
            }
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            Object o;
            while ((o = ch.readInbound()) != null) {
                if (o instanceof ByteBuf b) {
                    b.readBytes(again, b.readableBytes());
                    b.release();
                } else {
                    assertThat(o).isNotInstanceOf(P2PMessage.Unknown.class);
                    again.write((P2PCodec.format((P2PMessage) o) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            assertThat(again.toByteArray()).as("%s in pieces of %d", transcript.getFileName(), step).isEqualTo(wire);
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }
}
