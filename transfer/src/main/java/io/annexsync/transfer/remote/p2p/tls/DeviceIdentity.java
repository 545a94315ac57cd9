package io.annexsync.transfer.remote.p2p.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * This device's identity on the network: an EC P-256 key and a self-signed certificate, kept under
 * {@code .git/annex-sync/identity/} ({@code key.pem}, PKCS#8, and {@code cert.pem}; the folder mode 0700, the files
 * 0600), never in git. Its {@link DeviceId} is the SHA-256 of the certificate, which peers pin.
 *
 * <p>{@link #loadOrCreate} makes the identity once (in a temporary folder renamed into place, so a crash leaves either
 * no identity or a whole one) and reads it afterwards. An identity that is there but cannot be read is an error and
 * is never replaced: a new key would be a new device id, and every peer that pinned the old one would refuse it.
 * Immutable and thread-safe.
 */
public final class DeviceIdentity {
    /** The identity folder, relative to the git directory. */
    public static final String FOLDER = "annex-sync/identity";

    static final String KEY_FILE = "key.pem";
    static final String CERT_FILE = "cert.pem";
    private static final String KEY_PEM = "PRIVATE KEY";
    private static final String CERT_PEM = "CERTIFICATE";

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final DeviceId id;

    private DeviceIdentity(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
        try {
            this.id = DeviceId.ofCertificate(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode our own certificate", e);
        }
    }

    /** The identity folder of the repository whose git directory is {@code gitDir}. */
    public static Path folder(Path gitDir) {
        return gitDir.resolve(FOLDER);
    }

    /** Whether the repository with git directory {@code gitDir} has an identity folder yet. */
    public static boolean exists(Path gitDir) {
        return Files.exists(folder(gitDir));
    }

    /**
     * Reads the identity of the repository with git directory {@code gitDir}, making it first when there is none.
     *
     * @throws DeviceIdentityException when an identity is there but cannot be read (left as it is), or cannot be made
     */
    public static DeviceIdentity loadOrCreate(Path gitDir) throws DeviceIdentityException {
        Path dir = folder(Objects.requireNonNull(gitDir, "gitDir"));
        if (!Files.exists(dir)) {
            try {
                create(dir);
            } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
                throw new DeviceIdentityException("cannot make this device's identity in " + dir + ": "
                        + e.getMessage(), e);
            }
        }
        return load(dir);
    }

    /**
     * Reads an existing identity from {@code dir}.
     *
     * @throws DeviceIdentityException naming the file that is missing or corrupt
     */
    public static DeviceIdentity load(Path dir) throws DeviceIdentityException {
        byte[] keyDer = readPem(dir.resolve(KEY_FILE), KEY_PEM);
        byte[] certDer = readPem(dir.resolve(CERT_FILE), CERT_PEM);
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(keyDer));
        } catch (GeneralSecurityException e) {
            throw corrupt(dir.resolve(KEY_FILE), "not an EC private key", e);
        }
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certDer));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw corrupt(dir.resolve(CERT_FILE), "not an X.509 certificate", e);
        }
        if (!matches(key, cert)) {
            throw corrupt(dir.resolve(CERT_FILE), "its certificate is not the key's (key.pem and cert.pem do not "
                    + "belong together)", null);
        }
        return new DeviceIdentity(key, cert);
    }

    /** This device's id, the SHA-256 of its certificate. */
    public DeviceId id() {
        return id;
    }

    /** The private key (for the TLS key manager). */
    public PrivateKey key() {
        return key;
    }

    /** The self-signed certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    private static void create(Path dir) throws IOException, GeneralSecurityException, OperatorCreationException {
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), "identity.tmp-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = g.generateKeyPair();
            X509Certificate cert = selfSign(pair);
            writePrivate(tmp.resolve(KEY_FILE), pem(KEY_PEM, pair.getPrivate().getEncoded()));
            writePrivate(tmp.resolve(CERT_FILE), pem(CERT_PEM, cert.getEncoded()));
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                // another process made it first: theirs is the identity, ours goes
                deleteTree(tmp);
            }
        } catch (IOException | GeneralSecurityException | OperatorCreationException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    private static X509Certificate selfSign(KeyPair pair) throws OperatorCreationException, GeneralSecurityException {
        X500Name name = new X500Name("CN=annex-sync");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
                new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365L * 100))), name,
                pair.getPublic());
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static boolean matches(PrivateKey key, X509Certificate cert) {
        try {
            byte[] nonce = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(nonce);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance("SHA256withECDSA");
            v.initVerify(cert.getPublicKey());
            v.update(nonce);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] readPem(Path file, String type) throws DeviceIdentityException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new DeviceIdentityException("this device's identity is incomplete: " + file + " is missing. It is "
                    + "left as it is; restore it from a backup, or delete " + file.getParent()
                    + " to make a new identity (every peer must then pin the new device id)", e);
        } catch (IOException e) {
            throw new DeviceIdentityException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw corrupt(file, "no " + type + " block", null);
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw corrupt(file, "bad base64", e);
        }
    }

    private static DeviceIdentityException corrupt(Path file, String what, Throwable cause) {
        return new DeviceIdentityException("this device's identity is corrupt: " + file + ": " + what + ". It is left "
                + "as it is; restore it from a backup, or delete " + file.getParent() + " to make a new identity "
                + "(every peer must then pin the new device id)", cause);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary folder left behind holds nothing anyone reads; the next attempt makes another
        }
    }
}
