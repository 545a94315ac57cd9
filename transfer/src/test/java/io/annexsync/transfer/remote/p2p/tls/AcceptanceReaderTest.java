package io.annexsync.transfer.remote.p2p.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.annexsync.gitsync.Uuid;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The client's wait for {@code AUTH-SUCCESS <uuid>} and the gate behind it, on an {@link EmbeddedChannel}. */
class AcceptanceReaderTest {
    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void theLineInTwoPiecesGivesTheUuidAndWhatFollowsWaitsBehindTheGate() {
        AcceptanceReader reader = new AcceptanceReader();
        Gate gate = new Gate();
        EmbeddedChannel ch = new EmbeddedChannel(reader, gate);
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        Uuid uuid = Uuid.random();
        ch.writeInbound(bytes("AUTH-SUCC"));
        assertThat(reader.accepted).isNotDone();
        ch.writeInbound(bytes("ESS " + uuid.value() + "\nVERSION 1\n"));
        assertThat(reader.accepted).isCompletedWithValue(uuid);
        assertThat(ch.pipeline().get(AcceptanceReader.class)).isNull();
        assertThat((Object) ch.readInbound()).as("held by the gate").isNull();
        gate.open(ch.pipeline().context(gate));
        ByteBuf after = ch.readInbound();
        assertThat(after.toString(StandardCharsets.UTF_8)).isEqualTo("VERSION 1\n");
        after.release();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void anotherLineIsRefusedAndCloses() {
        AcceptanceReader reader = new AcceptanceReader();
        EmbeddedChannel ch = new EmbeddedChannel(reader);
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        ch.writeInbound(bytes("ERROR go away\n"));
        assertThat(reader.accepted).isCompletedExceptionally();
        assertThat(reader.accepted.exceptionNow()).hasMessageContaining("answered 'ERROR go away'");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void anEndlessLineIsRefusedAtTheBound() {
        AcceptanceReader reader = new AcceptanceReader();
        EmbeddedChannel ch = new EmbeddedChannel(reader);
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        ch.writeInbound(bytes("A".repeat(Acceptance.MAX_LINE)));
        assertThat(reader.accepted.exceptionNow()).hasMessageContaining("longer than 1024 bytes");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aCloseBeforeTheLineAfterTheHandshakeIsARefusal() {
        AcceptanceReader reader = new AcceptanceReader();
        EmbeddedChannel ch = new EmbeddedChannel(reader);
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        ch.close();
        assertThat(reader.accepted.exceptionNow()).isInstanceOfSatisfying(AcceptanceReader.Failure.class,
                f -> assertThat(f.afterHandshake).isTrue());
        assertFalse(ch.finishAndReleaseAll());
    }
}
