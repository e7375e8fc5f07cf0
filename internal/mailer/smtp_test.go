package mailer

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jikji/internal/mailpit"
	"jikji/internal/news"
)

func envelope(to, id string) news.Envelope {
	return news.Envelope{
		MessageID: "<" + id + "@news.example>", From: "직지일보 <news@example.com>", To: to,
		Subject: "[직지일보] 비밀번호 재설정 안내", Text: "본문입니다.\n", HTML: "<p>본문입니다.</p>",
		Unsubscribe: "https://news.example/mail/unsubscribe?k=abc&l=newsletter",
	}
}

func TestSendToMailpit(t *testing.T) {
	mp := mailpit.Start(t, "--smtp-allowed-recipients", `@example\.com$`)
	s, err := New(mp.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	errs := s.Send(context.Background(), []news.Envelope{envelope("reader@example.com", "1.1"), envelope("nobody@rejected.test", "2.1")})
	if errs[0] != nil {
		t.Fatalf("send: %v", errs[0])
	}
	if errs[1] == nil || !strings.Contains(errs[1].Error(), "55") {
		t.Fatalf("a refused recipient answered %v, want a 5xx", errs[1])
	}
	if pe, ok := errs[1].(interface{ Permanent() bool }); !ok || !pe.Permanent() {
		t.Errorf("a 5xx refusal is not permanent: %T", errs[1])
	}
	m := mp.WaitFor(t, "reader@example.com", "비밀번호 재설정", 5*time.Second)
	if m.Subject != "[직지일보] 비밀번호 재설정 안내" || m.From.Name != "직지일보" || m.MessageID != "1.1@news.example" {
		t.Errorf("received %+v", m)
	}
	if strings.TrimSpace(m.Text) != "본문입니다." || !strings.Contains(m.HTML, "<p>본문입니다.</p>") {
		t.Errorf("bodies: text %q html %q", m.Text, m.HTML)
	}
	raw := mp.Raw(t, m.ID)
	// The Korean subject travels RFC 2047-encoded; the bodies are two
	// alternatives in UTF-8.
	for _, want := range []string{"Subject:\r\n =?UTF-8?b?", "multipart/alternative", "text/plain; charset=UTF-8", "text/html; charset=UTF-8"} {
		if !strings.Contains(raw, want) {
			t.Errorf("raw message lacks %q:\n%s", want, raw[:min(len(raw), 1500)])
		}
	}
	h := mp.Headers(t, m.ID)
	if got := h["List-Unsubscribe"]; len(got) != 1 || got[0] != "<https://news.example/mail/unsubscribe?k=abc&l=newsletter>" {
		t.Errorf("List-Unsubscribe = %q", got)
	}
	if got := h["List-Unsubscribe-Post"]; len(got) != 1 || got[0] != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", got)
	}
	// The connection stays open for the next batch.
	if errs := s.Send(context.Background(), []news.Envelope{envelope("again@example.com", "3.1")}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	mp.WaitFor(t, "again@example.com", "비밀번호", 5*time.Second)
}

// selfSigned writes a certificate for 127.0.0.1 and returns its files and
// a pool that trusts it.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestStartTLSWithPassword(t *testing.T) {
	cert, key, pool := selfSigned(t)
	// The server refuses any client that does not switch to TLS first.
	mp := mailpit.Start(t, "--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-require-starttls", "--smtp-auth-accept-any")
	s, err := New("smtp://editor:s3cret@" + mp.SMTPAddr)
	if err != nil {
		t.Fatal(err)
	}
	s.TLSConfig = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	defer s.Close()
	if errs := s.Send(context.Background(), []news.Envelope{envelope("tls@example.com", "4.1")}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	mp.WaitFor(t, "tls@example.com", "비밀번호", 5*time.Second)
}

func TestNewParsesURL(t *testing.T) {
	for _, tc := range []struct {
		url      string
		port     int
		implicit bool
		bad      bool
	}{
		{url: "smtp://u:p@mail.example.com", port: 587},
		{url: "smtp://mail.example.com:2525", port: 2525},
		{url: "smtps://u:p@mail.example.com", port: 465, implicit: true},
		{url: "http://mail.example.com", bad: true},
		{url: "smtp://mail.example.com:99999", bad: true},
	} {
		s, err := New(tc.url)
		if tc.bad {
			if err == nil {
				t.Errorf("New(%q) accepted", tc.url)
			}
			continue
		}
		if err != nil || s.port != tc.port || s.implicit != tc.implicit {
			t.Errorf("New(%q) = %+v, %v", tc.url, s, err)
		}
	}
	if got := Redacted("smtp://u:secret@mail.example.com:587"); strings.Contains(got, "secret") {
		t.Errorf("Redacted kept the password: %s", got)
	}
	if !loopback("127.0.0.1") || !loopback("::1") || !loopback("localhost") || loopback("10.0.0.1") || loopback("mail.example.com") {
		t.Error("loopback misjudges an address")
	}
}
