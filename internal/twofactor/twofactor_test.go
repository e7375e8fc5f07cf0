package twofactor

import (
	"strings"
	"testing"
	"time"
)

// TestMatch: a code is accepted in its own 30-second step and one step
// either side (a phone's clock a little off), and says which step it is.
func TestMatch(t *testing.T) {
	var totp TOTP
	secret, url, err := totp.NewSecret("직지일보", "desk@jikji.example")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "otpauth://totp/") || !strings.Contains(url, "secret="+secret) {
		t.Fatalf("url %q", url)
	}
	at := time.Unix(1_800_000_000, 0) // a step boundary: 1.8e9 / 30
	code, err := Code(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at   time.Time
		ok   bool
		step int64
	}{
		{at, true, 60_000_000},
		{at.Add(29 * time.Second), true, 60_000_000},
		{at.Add(-30 * time.Second), true, 60_000_000},
		{at.Add(59 * time.Second), true, 60_000_000},
		{at.Add(60 * time.Second), false, 0},
		{at.Add(-31 * time.Second), false, 0},
	} {
		step, ok := totp.Match(secret, code, c.at)
		if ok != c.ok || step != c.step {
			t.Errorf("Match at %v: step %d ok %v, want %d %v", c.at.Sub(at), step, ok, c.step, c.ok)
		}
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if _, ok := totp.Match(secret, wrong, at); ok {
		t.Error("a wrong code matched")
	}
	if png, err := QRCode(url, 200); err != nil || len(png) < 100 || string(png[1:4]) != "PNG" {
		t.Errorf("QR code: %d bytes, %v", len(png), err)
	}
}
