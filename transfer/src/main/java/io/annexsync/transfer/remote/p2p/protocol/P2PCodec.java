package io.annexsync.transfer.remote.p2p.protocol;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.AlreadyHave;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Auth;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.AuthFailure;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.AuthSuccess;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Changed;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.CheckPresent;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Connect;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.ConnectDone;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Data;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Error;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Failure;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Get;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Invalid;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.LockContent;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.NotifyChange;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Put;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.PutFrom;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Remove;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Service;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Success;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.UnlockContent;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Unknown;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Valid;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Version;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The text form of {@link P2PMessage}s, as git-annex's {@code P2P/Protocol.hs} writes and reads them: the first word
 * is the command, parameters are separated by one space and the last one takes the rest of the line. Example lines:
 * <pre>
 * GET 0 photos/a%b.jpg SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.jpg
 * PUT-FROM 300000
 * ERROR unknown command
 * </pre>
 *
 * <p>An AssociatedFile is sent with each space as {@code %} and {@code %} as {@code %%}; read back, {@code %%} is
 * {@code %} and a lone {@code %} becomes {@code _}, as git-annex does (the name is only displayed). Keys and file
 * names from the other side are untrusted: a key that git-annex would not parse, or that holds a {@code /},
 * {@code ..}, a control character or bytes that are not UTF-8, and a file name that is absolute, has a
 * {@code ..} component or holds a control character, make the whole line {@link Unknown}. (A {@code /} between
 * a file name's components is allowed: git-annex sends work-tree paths such as {@code dir/a.txt}; the name never
 * becomes a path here.) Stateless, thread-safe.
 */
public final class P2PCodec {
    /** The longest line either side accepts, in bytes, without its newline (git-annex's limit). */
    public static final int MAX_LINE = 32 * 1024;

    private static final int MAX_LOGGED = 200;

    private P2PCodec() {}

    /** The line (without newline) that carries {@code message}. */
    public static String format(P2PMessage message) {
        return switch (message) {
            case Auth m -> "AUTH " + m.uuid().value() + " " + m.token();
            case AuthSuccess m -> "AUTH-SUCCESS " + m.uuid().value();
            case AuthFailure m -> "AUTH-FAILURE";
            case Version m -> "VERSION " + m.version();
            case CheckPresent m -> "CHECKPRESENT " + m.key().serialize();
            case LockContent m -> "LOCKCONTENT " + m.key().serialize();
            case UnlockContent m -> "UNLOCKCONTENT";
            case Remove m -> "REMOVE " + m.key().serialize();
            case Get m -> "GET " + m.offset() + " " + escapeFile(m.file()) + " " + m.key().serialize();
            case Put m -> "PUT " + escapeFile(m.file()) + " " + m.key().serialize();
            case PutFrom m -> "PUT-FROM " + m.offset();
            case AlreadyHave m -> "ALREADY-HAVE";
            case Data m -> "DATA " + m.length();
            case Valid m -> "VALID";
            case Invalid m -> "INVALID";
            case Success m -> "SUCCESS";
            case Failure m -> "FAILURE";
            case Error m -> "ERROR " + m.text();
            case Connect m -> "CONNECT " + m.service().wireName();
            case ConnectDone m -> "CONNECTDONE " + m.exitCode();
            case NotifyChange m -> "NOTIFYCHANGE";
            case Changed m -> "CHANGED " + String.join(" ", m.refs());
            case Unknown m -> throw new IllegalArgumentException("an unknown message is never sent: " + m.line());
        };
    }

    /** The message {@code line} (without its newline) carries; {@link Unknown} saying why when it is none. */
    public static P2PMessage parse(String line) {
        int space = line.indexOf(' ');
        String command = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? null : line.substring(space + 1);
        try {
            return parse(command, rest).orElseGet(() -> unknown(line, "not a command of protocol versions 0 and 1"));
        } catch (IllegalArgumentException e) {
            return unknown(line, e.getMessage());
        }
    }

    private static Optional<P2PMessage> parse(String command, String rest) {
        P2PMessage m = switch (command) {
            case "AUTH" -> {
                String[] p = split(rest, 2);
                yield new Auth(uuid(p[0]), token(p[1]));
            }
            case "AUTH-SUCCESS" -> new AuthSuccess(uuid(one(rest)));
            case "AUTH-FAILURE" -> none(rest, new AuthFailure());
            case "VERSION" -> new Version(version(one(rest)));
            case "CHECKPRESENT" -> new CheckPresent(key(one(rest)));
            case "LOCKCONTENT" -> new LockContent(key(one(rest)));
            case "UNLOCKCONTENT" -> none(rest, new UnlockContent());
            case "REMOVE" -> new Remove(key(one(rest)));
            case "GET" -> {
                String[] p = split(rest, 3);
                yield new Get(number(p[0]), file(p[1]), key(p[2]));
            }
            case "PUT" -> {
                String[] p = split(rest, 2);
                yield new Put(file(p[0]), key(p[1]));
            }
            case "PUT-FROM" -> new PutFrom(number(one(rest)));
            case "ALREADY-HAVE" -> none(rest, new AlreadyHave());
            case "DATA" -> new Data(number(one(rest)));
            case "VALID" -> none(rest, new Valid());
            case "INVALID" -> none(rest, new Invalid());
            case "SUCCESS" -> none(rest, new Success());
            case "FAILURE" -> none(rest, new Failure());
            case "ERROR" -> new Error(rest == null ? "" : rest);
            case "CONNECT" -> new Connect(Service.of(one(rest)).orElseThrow(
                    () -> new IllegalArgumentException("CONNECT to a service other than git-upload-pack and"
                            + " git-receive-pack: '" + rest + "'")));
            case "CONNECTDONE" -> new ConnectDone(exitCode(one(rest)));
            case "NOTIFYCHANGE" -> none(rest, new NotifyChange());
            case "CHANGED" -> new Changed(rest == null || rest.isEmpty() ? List.of()
                    : Arrays.asList(rest.split(" ", -1)));
            default -> null;
        };
        return Optional.ofNullable(m);
    }

    private static Unknown unknown(String line, String reason) {
        String shown = line.length() > MAX_LOGGED ? line.substring(0, MAX_LOGGED) + "…" : line;
        return new Unknown(shown.replaceAll("\\p{Cntrl}", "?"), reason);
    }

    private static P2PMessage none(String rest, P2PMessage m) {
        if (rest != null) {
            throw new IllegalArgumentException(format(m) + " takes no parameters");
        }
        return m;
    }

    private static String one(String rest) {
        if (rest == null) {
            throw new IllegalArgumentException("a parameter is missing");
        }
        return rest;
    }

    /** The {@code n} parameters of {@code rest}: one space between them, the last one the rest of the line. */
    private static String[] split(String rest, int n) {
        String[] out = new String[n];
        String remaining = one(rest);
        for (int i = 0; i < n - 1; i++) {
            int space = remaining.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("expected " + n + " parameters");
            }
            out[i] = remaining.substring(0, space);
            remaining = remaining.substring(space + 1);
        }
        out[n - 1] = remaining;
        return out;
    }

    private static Uuid uuid(String text) {
        return Uuid.parse(text).orElseThrow(() -> new IllegalArgumentException("not a uuid: '" + text + "'"));
    }

    private static String token(String text) {
        if (text.isEmpty() || text.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("bad auth token");
        }
        return text;
    }

    private static long version(String text) {
        if (!digits(text)) {
            throw new IllegalArgumentException("not a version: '" + text + "'");
        }
        // a peer may speak a version far beyond ours; only min(n, ours) matters
        return text.length() > 18 ? Long.MAX_VALUE : Long.parseLong(text);
    }

    private static long number(String text) {
        if (!digits(text) || text.length() > 18) {
            throw new IllegalArgumentException("not an offset or length: '" + text + "'");
        }
        return Long.parseLong(text);
    }

    private static int exitCode(String text) {
        String digitsOnly = text.startsWith("-") ? text.substring(1) : text;
        if (!digits(digitsOnly) || digitsOnly.length() > 9) {
            throw new IllegalArgumentException("not an exit code: '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    private static boolean digits(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * The key {@code text} names, when it is one git-annex would accept and one that is safe as a file name here.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Key key(String text) {
        if (text.indexOf('/') >= 0 || text.contains("..")) {
            throw new IllegalArgumentException("key holds '/' or '..': '" + text + "'");
        }
        if (text.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("key holds a control character");
        }
        if (text.indexOf('\uFFFD') >= 0) {
            // bytes that are not UTF-8: the key would be stored under another name than the peer meant
            throw new IllegalArgumentException("key is not UTF-8");
        }
        return Key.parse(text).orElseThrow(() -> new IllegalArgumentException("not a git-annex key: '" + text + "'"));
    }

    /** An AssociatedFile in its wire form: empty for none, spaces as {@code %}, {@code %} as {@code %%}. */
    static String escapeFile(Optional<String> file) {
        if (file.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < file.get().length(); i++) {
            char c = file.get().charAt(i);
            if (c == '%') {
                sb.append("%%");
            } else if (Character.isWhitespace(c)) {
                sb.append('%');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * The AssociatedFile in its wire form {@code text}: empty for none; {@code %%} read as {@code %}, a lone
     * {@code %} as {@code _}.
     *
     * @throws IllegalArgumentException when it is absolute, has a {@code ..} component or holds a control character
     */
    static Optional<String> file(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                boolean doubled = i + 1 < text.length() && text.charAt(i + 1) == '%';
                sb.append(doubled ? '%' : '_');
                i += doubled ? 1 : 0;
            } else if (c < ' ' || c == 0x7f) {
                throw new IllegalArgumentException("file name holds a control character");
            } else {
                sb.append(c);
            }
        }
        String name = sb.toString();
        if (name.startsWith("/")) {
            throw new IllegalArgumentException("absolute file name: '" + name + "'");
        }
        for (String part : name.split("/", -1)) {
            if (part.equals("..")) {
                throw new IllegalArgumentException("file name with a '..' component: '" + name + "'");
            }
        }
        return Optional.of(name);
    }
}
