package web

import (
	"testing"

	"github.com/pquerna/otp"
)

// TestOTPAuthURL: the QR code of a setup shown again reads in an
// authenticator app as the first one did, whatever the site's name.
func TestOTPAuthURL(t *testing.T) {
	key, err := otp.NewKeyFromURL(otpauthURL("직지 일보", "JBSWY3DPEHPK3PXP", "desk+1@jikji.example"))
	if err != nil {
		t.Fatal(err)
	}
	if key.Issuer() != "직지 일보" || key.AccountName() != "desk+1@jikji.example" || key.Secret() != "JBSWY3DPEHPK3PXP" || key.Period() != 30 {
		t.Errorf("key read back: issuer %q, account %q, secret %q, period %d", key.Issuer(), key.AccountName(), key.Secret(), key.Period())
	}
}
