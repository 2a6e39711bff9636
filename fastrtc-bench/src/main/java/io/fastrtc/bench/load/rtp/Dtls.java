package io.fastrtc.bench.load.rtp;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The DTLS-SRTP handshake (RFC 5764) as the DTLS server: our offer says {@code a=setup:actpass}
 * (FastRTC refuses any other offer) and libwebrtc's answer takes {@code active}. DTLS 1.2 with {@code
 * use_srtp} accepting only {@code SRTP_AES128_CM_HMAC_SHA1_80}, our self-signed ECDSA P-256
 * certificate, the peer's checked against the fingerprint in its answer, and the SRTP master keys
 * from the {@code EXTRACTOR-dtls_srtp} exporter.
 */
final class Dtls {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int HANDSHAKE_TIMEOUT_MS = 20_000;

    private Dtls() {
    }

    /** A self-signed certificate and its key, shared by every caller of a process (as a browser's profile). */
    record Identity(byte[] der, AsymmetricKeyParameter key, String fingerprint) {
        static Identity create() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                KeyPair pair = g.generateKeyPair();
                V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
                X500Name name = new X500Name("CN=fastrtc-bench");
                long now = System.currentTimeMillis();
                AlgorithmIdentifier sigAlg = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
                tbs.setSerialNumber(new ASN1Integer(BigInteger.valueOf(now)));
                tbs.setIssuer(name);
                tbs.setSubject(name);
                tbs.setStartDate(new Time(new Date(now - 86_400_000L)));
                tbs.setEndDate(new Time(new Date(now + 30 * 86_400_000L)));
                tbs.setSignature(sigAlg);
                tbs.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()));
                TBSCertificate body = tbs.generateTBSCertificate();
                Signature signer = Signature.getInstance("SHA256withECDSA");
                signer.initSign(pair.getPrivate());
                signer.update(body.getEncoded("DER"));
                ASN1EncodableVector cert = new ASN1EncodableVector();
                cert.add(body);
                cert.add(sigAlg);
                cert.add(new DERBitString(signer.sign()));
                byte[] der = new DERSequence(cert).getEncoded("DER");
                return new Identity(der, PrivateKeyFactory.createKey(pair.getPrivate().getEncoded()), Dtls.fingerprint(der));
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot make the DTLS certificate", e);
            }
        }
    }

    /** SDP's {@code sha-256} fingerprint: upper-case hex pairs joined by colons. */
    static String fingerprint(byte[] der) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The two SRTP contexts a handshake yields: ours to send, the server's to receive. */
    record Keys(Srtp send, Srtp receive) {
    }

    /**
     * Runs the handshake over {@code transport} as the DTLS server (libwebrtc answers an {@code actpass}
     * offer with {@code active}); the client's certificate must have {@code peerFingerprint} (as its
     * answer says, case-insensitive).
     */
    static Keys handshake(Identity identity, DatagramTransport transport, String peerFingerprint) throws IOException {
        BcTlsCrypto crypto = new BcTlsCrypto(RANDOM);
        byte[][] material = new byte[1][];
        DefaultTlsServer server = new DefaultTlsServer(crypto) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.DTLSv12.only();
            }

            @Override
            public int getHandshakeTimeoutMillis() {
                return HANDSHAKE_TIMEOUT_MS;
            }

            @Override
            protected int[] getSupportedCipherSuites() { // our key is ECDSA
                return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA};
            }

            @Override
            public void processClientExtensions(Hashtable clientExtensions) throws IOException {
                super.processClientExtensions(clientExtensions);
                UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
                if (offered == null || Arrays.stream(offered.getProtectionProfiles())
                        .noneMatch(p -> p == SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80)) {
                    throw new TlsFatalAlert(AlertDescription.handshake_failure);
                }
            }

            @Override
            @SuppressWarnings("unchecked")
            public Hashtable getServerExtensions() throws IOException {
                Hashtable ext = super.getServerExtensions();
                TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(
                        new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, new byte[0]));
                return ext;
            }

            @Override
            protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
                Certificate ours = new Certificate(new TlsCertificate[] {crypto.createCertificate(identity.der())});
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, identity.key(),
                        ours, SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }

            @Override
            public CertificateRequest getCertificateRequest() {
                return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign,
                    ClientCertificateType.rsa_sign}, TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
            }

            @Override
            public void notifyClientCertificate(Certificate chain) throws IOException {
                if (chain == null || chain.isEmpty() || !fingerprint(chain.getCertificateAt(0).getEncoded())
                        .equalsIgnoreCase(peerFingerprint)) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate);
                }
            }

            @Override
            public void notifyHandshakeComplete() throws IOException {
                super.notifyHandshakeComplete();
                material[0] = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 2 * (16 + 14));
            }
        };
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        protocol.setVerifyRequests(false); // ICE already proved the address: no cookie round trip
        protocol.accept(server, transport);
        byte[] m = material[0];
        Srtp clientToServer = Srtp.fromMaster(Arrays.copyOfRange(m, 0, 16), Arrays.copyOfRange(m, 32, 46));
        Srtp serverToClient = Srtp.fromMaster(Arrays.copyOfRange(m, 16, 32), Arrays.copyOfRange(m, 46, 60));
        return new Keys(serverToClient, clientToServer);
    }

    /** DTLS records that the receive thread hands over, and sends through the caller's socket. */
    abstract static class Transport implements DatagramTransport {
        private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();

        void deliver(byte[] record) {
            received.add(record);
        }

        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            try {
                byte[] r = received.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (r == null) {
                    return -1;
                }
                int n = Math.min(len, r.length);
                System.arraycopy(r, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted in the DTLS handshake");
            }
        }

        @Override
        public void close() {
        }
    }
}
