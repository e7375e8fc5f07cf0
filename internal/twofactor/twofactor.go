// Package twofactor makes and checks the time-based one-time passwords of
// authenticator apps (RFC 6238) and draws their setup QR codes.
package twofactor

import (
	"bytes"
	"image/png"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// period is the length of one time step: the 30 seconds every
// authenticator app assumes.
const period = 30

// TOTP implements news.OneTimeCodes with six-digit SHA-1 codes, what
// every authenticator app reads from a QR code.
type TOTP struct{}

// NewSecret returns a new 160-bit secret and its otpauth:// URL.
func (TOTP) NewSecret(issuer, account string) (string, string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: period})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// Match checks the code at t and one step either side (a phone's clock a
// little off) and returns the step it belongs to.
func (TOTP) Match(secret, code string, t time.Time) (int64, bool) {
	opts := totp.ValidateOpts{Period: period, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	for _, d := range []int64{0, -1, 1} {
		at := t.Add(time.Duration(d*period) * time.Second)
		if ok, err := totp.ValidateCustom(code, secret, at, opts); err == nil && ok {
			return at.Unix() / period, true
		}
	}
	return 0, false
}

// Code returns the code of secret at t, as an authenticator app shows it.
func Code(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: period, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// QRCode draws an otpauth:// URL as a PNG QR code of size pixels square.
func QRCode(url string, size int) ([]byte, error) {
	key, err := otp.NewKeyFromURL(url)
	if err != nil {
		return nil, err
	}
	img, err := key.Image(size, size)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
