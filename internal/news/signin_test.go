package news

import "testing"

// TestTwoFactorRequired: editors and admins always need two-factor;
// reporters and moderators when the site asks it of all staff; readers
// never have to.
func TestTwoFactorRequired(t *testing.T) {
	for _, all := range []bool{false, true} {
		s := &Service{TwoFactorAllStaff: all}
		for role, want := range map[string]bool{
			RoleReader: false, RoleModerator: all, RoleReporter: all, RoleEditor: true, RoleAdmin: true,
		} {
			if got := s.TwoFactorRequired(role); got != want {
				t.Errorf("all staff %v, %s: required %v, want %v", all, role, got, want)
			}
			a := Account{ID: 1, Role: role}
			if got := s.NeedsTwoFactorSetup(a); got != want {
				t.Errorf("all staff %v, %s without two-factor: needs setup %v, want %v", all, role, got, want)
			}
			a.TwoFactor = true
			if s.NeedsTwoFactorSetup(a) {
				t.Errorf("%s with two-factor still needs a setup", role)
			}
		}
	}
}

func TestDevice(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (Linux; Android 14; SM-S921N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36": "삼성 인터넷 · Android",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 KAKAOTALK 10.8.0":             "카카오톡 · iPhone",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0":              "Edge · Windows",
		"": "알 수 없는 기기",
	} {
		if got := Device(ua); got != want {
			t.Errorf("Device(%.40q) = %q, want %q", ua, got, want)
		}
	}
}
