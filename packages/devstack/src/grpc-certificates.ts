import * as fs from 'node:fs';
import * as path from 'node:path';
import forge from 'node-forge';

/**
 * A certificate authority of its own for a local platform, and a certificate per process named
 * after it (`intake`, `gateway` …), for mutual TLS on gRPC. Each process gets a directory laid
 * out as a Kubernetes TLS secret is mounted (`ca.crt`, `tls.crt`, `tls.key`: GRPC_TLS_DIR). The
 * Helm chart makes the same with Helm's own genCA / genSignedCert.
 */
export function writeGrpcCertificates(directory: string, names: readonly string[]): Record<string, string> {
  const ca = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const caCert = certificate({
    subject: 'complaints-grpc-ca',
    publicKey: ca.publicKey,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true },
    ],
  });
  caCert.sign(ca.privateKey, forge.md.sha256.create());
  const caPem = forge.pki.certificateToPem(caCert);
  const directories: Record<string, string> = {};
  for (const name of names) {
    const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
    const cert = certificate({
      subject: name,
      issuer: caCert,
      publicKey: keys.publicKey,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
        // Clients check the server by its service name (grpc.ssl_target_name_override).
        { name: 'subjectAltName', altNames: [{ type: 2, value: name }] },
      ],
    });
    cert.sign(ca.privateKey, forge.md.sha256.create());
    const own = path.join(directory, name);
    fs.mkdirSync(own, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(own, 'ca.crt'), caPem);
    fs.writeFileSync(path.join(own, 'tls.crt'), forge.pki.certificateToPem(cert));
    fs.writeFileSync(path.join(own, 'tls.key'), forge.pki.privateKeyToPem(keys.privateKey), { mode: 0o600 });
    directories[name] = own;
  }
  return directories;
}

function certificate(options: {
  subject: string;
  issuer?: forge.pki.Certificate;
  publicKey: forge.pki.PublicKey;
  extensions: object[];
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = options.publicKey;
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
  const subject = [{ name: 'commonName', value: options.subject }];
  cert.setSubject(subject);
  cert.setIssuer(options.issuer ? options.issuer.subject.attributes : subject);
  cert.setExtensions(options.extensions);
  return cert;
}
