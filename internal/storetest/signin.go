package storetest

import (
	"context"
	"testing"

	"jikji/internal/news"

	"github.com/google/go-cmp/cmp"
)

func runSignIn(t *testing.T, o Opener) {
	t.Run("TwoFactor", o.testTwoFactor)
	t.Run("AccountSessions", o.testAccountSessions)
	t.Run("Identities", o.testIdentities)
}

func (o Opener) testTwoFactor(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	a := MustCreateAccount(t, st, "desk@x.test")
	_, err := st.TwoFactor(ctx, a.ID)
	WantCode(t, err, news.ENOTFOUND)
	WantCode(t, st.UseTOTPStep(ctx, a.ID, 5), news.ECONFLICT) // nothing set up: no code counts

	// A second setup before confirming replaces the first and its codes.
	Must(t, st.BeginTwoFactor(ctx, a.ID, "FIRST", []string{"h-old"}))
	Must(t, st.BeginTwoFactor(ctx, a.ID, "SECRET", []string{"h1", "h2"}))
	tf, err := st.TwoFactor(ctx, a.ID)
	Must(t, err)
	if tf.Secret != "SECRET" || !tf.ConfirmedAt.IsZero() {
		t.Fatalf("pending setup = %+v", tf)
	}
	if got, _ := st.Account(ctx, a.ID); got.TwoFactor {
		t.Fatal("two-factor on before the first code")
	}

	Must(t, st.ConfirmTwoFactor(ctx, a.ID, 100, news.AuditEntry{ActorID: a.ID, Action: news.AuditTwoFactorOn, TargetKind: news.TargetAccount, TargetID: a.ID, CreatedAt: at(1)}))
	WantCode(t, st.ConfirmTwoFactor(ctx, a.ID, 101, news.AuditEntry{CreatedAt: at(2)}), news.ENOTFOUND)
	WantCode(t, st.BeginTwoFactor(ctx, a.ID, "OTHER", nil), news.ECONFLICT)
	for _, get := range []func() (news.Account, error){
		func() (news.Account, error) { return st.Account(ctx, a.ID) },
		func() (news.Account, error) { return st.AccountByEmail(ctx, "desk@x.test") },
	} {
		if got, err := get(); err != nil || !got.TwoFactor {
			t.Fatalf("account after confirm: %+v, %v", got, err)
		}
	}
	log, err := st.AuditLog(ctx, 0, 10)
	Must(t, err)
	if len(log) != 1 || log[0].Action != news.AuditTwoFactorOn || log[0].TargetID != a.ID {
		t.Fatalf("audit log = %+v", log)
	}

	// Each step is accepted once, and never one before the last.
	WantCode(t, st.UseTOTPStep(ctx, a.ID, 100), news.ECONFLICT)
	Must(t, st.UseTOTPStep(ctx, a.ID, 101))
	WantCode(t, st.UseTOTPStep(ctx, a.ID, 101), news.ECONFLICT)
	WantCode(t, st.UseTOTPStep(ctx, a.ID, 99), news.ECONFLICT)

	// Recovery codes are single-use; the old setup's are gone.
	WantCode(t, st.UseRecoveryCode(ctx, a.ID, "h-old", at(3)), news.ENOTFOUND)
	Must(t, st.UseRecoveryCode(ctx, a.ID, "h1", at(3)))
	WantCode(t, st.UseRecoveryCode(ctx, a.ID, "h1", at(4)), news.ENOTFOUND)
	other := MustCreateAccount(t, st, "other@x.test")
	WantCode(t, st.UseRecoveryCode(ctx, other.ID, "h2", at(4)), news.ENOTFOUND)

	// A reset removes the setup and ends the sessions.
	Must(t, st.CreateSession(ctx, news.Session{TokenHash: "t1", AccountID: a.ID, CreatedAt: T0, ExpiresAt: at(600)}))
	Must(t, st.ResetTwoFactor(ctx, a.ID, news.AuditEntry{Action: news.AuditTwoFactorReset, TargetKind: news.TargetAccount, TargetID: a.ID, CreatedAt: at(5)}))
	_, err = st.SessionAccount(ctx, "t1", at(6))
	WantCode(t, err, news.ENOTFOUND)
	_, err = st.TwoFactor(ctx, a.ID)
	WantCode(t, err, news.ENOTFOUND)
	WantCode(t, st.UseRecoveryCode(ctx, a.ID, "h2", at(6)), news.ENOTFOUND)
	if got, _ := st.Account(ctx, a.ID); got.TwoFactor {
		t.Fatal("two-factor still on after reset")
	}
	WantCode(t, st.ResetTwoFactor(ctx, 1<<40, news.AuditEntry{}), news.ENOTFOUND)
}

func (o Opener) testAccountSessions(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	a := MustCreateAccount(t, st, "me@x.test")
	b := MustCreateAccount(t, st, "b@x.test")
	for _, s := range []news.Session{
		{TokenHash: "aaaa01", AccountID: a.ID, CreatedAt: at(0), ExpiresAt: at(600), UserAgent: "phone", LastSeenAt: at(0)},
		{TokenHash: "aaaa02", AccountID: a.ID, CreatedAt: at(1), ExpiresAt: at(600), UserAgent: "laptop", LastSeenAt: at(1)},
		{TokenHash: "aaaa03", AccountID: a.ID, CreatedAt: at(2), ExpiresAt: at(3), UserAgent: "expired", LastSeenAt: at(2)},
		{TokenHash: "aaaa04", AccountID: a.ID, CreatedAt: at(2), ExpiresAt: at(600), UserAgent: "waiting", Pending: true},
		{TokenHash: "bbbb01", AccountID: b.ID, CreatedAt: at(0), ExpiresAt: at(600), UserAgent: "b"},
	} {
		Must(t, st.CreateSession(ctx, s))
	}
	agents := func() []string {
		list, err := st.AccountSessions(ctx, a.ID, at(10))
		Must(t, err)
		var out []string
		for _, s := range list {
			out = append(out, s.UserAgent)
		}
		return out
	}
	if diff := cmp.Diff([]string{"laptop", "phone"}, agents()); diff != "" {
		t.Fatalf("sessions (-want +got):\n%s", diff)
	}
	// A pending login logs no one in, but leads to its account.
	_, err := st.SessionAccount(ctx, "aaaa04", at(10))
	WantCode(t, err, news.ENOTFOUND)
	if got, err := st.PendingSessionAccount(ctx, "aaaa04", at(10)); err != nil || got.ID != a.ID {
		t.Fatalf("pending login: %+v, %v", got, err)
	}
	_, err = st.PendingSessionAccount(ctx, "aaaa01", at(10))
	WantCode(t, err, news.ENOTFOUND)

	// The last used comes first; touching never goes back in time.
	Must(t, st.TouchSession(ctx, "aaaa01", at(20)))
	Must(t, st.TouchSession(ctx, "aaaa01", at(15)))
	list, err := st.AccountSessions(ctx, a.ID, at(21))
	Must(t, err)
	if len(list) != 2 || list[0].UserAgent != "phone" || !list[0].LastSeenAt.Equal(at(20)) {
		t.Fatalf("after touch: %+v", list)
	}

	n, err := st.DeleteSessions(ctx, a.ID, "aaaa01")
	Must(t, err)
	if n != 3 { // laptop, expired, pending
		t.Errorf("ended %d sessions, want 3", n)
	}
	if diff := cmp.Diff([]string{"phone"}, agents()); diff != "" {
		t.Fatalf("after ending others (-want +got):\n%s", diff)
	}
	if _, err := st.SessionAccount(ctx, "bbbb01", at(10)); err != nil {
		t.Fatalf("another account's session ended: %v", err)
	}
	Must(t, st.RecordAudit(ctx, news.AuditEntry{ActorID: a.ID, Action: news.AuditLogin, TargetKind: news.TargetAccount, TargetID: a.ID, Reason: "Chrome", CreatedAt: at(30)}))
	log, err := st.AuditLog(ctx, 0, 10)
	Must(t, err)
	if len(log) != 1 || log[0].Action != news.AuditLogin || log[0].Reason != "Chrome" || !log[0].CreatedAt.Equal(at(30)) {
		t.Fatalf("audit log = %+v", log)
	}
}

func (o Opener) testIdentities(t *testing.T) {
	ctx := context.Background()
	st := o(t)
	a := MustCreateAccount(t, st, "me@x.test")
	_, err := st.IdentityAccount(ctx, "kakao", "k1")
	WantCode(t, err, news.ENOTFOUND)
	Must(t, st.LinkIdentity(ctx, news.Identity{Provider: "kakao", Subject: "k1", AccountID: a.ID, Email: "me@x.test", CreatedAt: at(1)}))
	if got, err := st.IdentityAccount(ctx, "kakao", "k1"); err != nil || got.ID != a.ID {
		t.Fatalf("identity account: %+v, %v", got, err)
	}
	// One subject, one account; one identity of each provider per account.
	b := MustCreateAccount(t, st, "b@x.test")
	WantCode(t, st.LinkIdentity(ctx, news.Identity{Provider: "kakao", Subject: "k1", AccountID: b.ID, CreatedAt: at(2)}), news.ECONFLICT)
	WantCode(t, st.LinkIdentity(ctx, news.Identity{Provider: "kakao", Subject: "k2", AccountID: a.ID, CreatedAt: at(2)}), news.ECONFLICT)
	Must(t, st.LinkIdentity(ctx, news.Identity{Provider: "naver", Subject: "n1", AccountID: a.ID, Email: "me@x.test", CreatedAt: at(3)}))
	list, err := st.Identities(ctx, a.ID)
	Must(t, err)
	want := []news.Identity{
		{Provider: "kakao", Subject: "k1", AccountID: a.ID, Email: "me@x.test", CreatedAt: at(1).UTC()},
		{Provider: "naver", Subject: "n1", AccountID: a.ID, Email: "me@x.test", CreatedAt: at(3).UTC()},
	}
	if diff := cmp.Diff(want, list); diff != "" {
		t.Fatalf("identities (-want +got):\n%s", diff)
	}
	Must(t, st.UnlinkIdentity(ctx, a.ID, "kakao"))
	WantCode(t, st.UnlinkIdentity(ctx, a.ID, "kakao"), news.ENOTFOUND)

	// A new account and its identity come together, or not at all.
	c := news.Account{Email: "new@x.test", DisplayName: "새 독자", Role: news.RoleReader, CreatedAt: at(4)}
	Must(t, st.CreateAccountWithIdentity(ctx, &c, news.Identity{Provider: "google", Subject: "g1", Email: "new@x.test", CreatedAt: at(4)}))
	if got, err := st.IdentityAccount(ctx, "google", "g1"); err != nil || got.ID != c.ID || got.PasswordHash != "" {
		t.Fatalf("new identity account: %+v, %v", got, err)
	}
	taken := news.Account{Email: "ME@x.test", DisplayName: "가로채기", Role: news.RoleReader, CreatedAt: at(5)}
	WantCode(t, st.CreateAccountWithIdentity(ctx, &taken, news.Identity{Provider: "google", Subject: "g2", CreatedAt: at(5)}), news.EEMAILTAKEN)
	_, err = st.IdentityAccount(ctx, "google", "g2")
	WantCode(t, err, news.ENOTFOUND)
	dup := news.Account{Email: "dup@x.test", DisplayName: "중복", Role: news.RoleReader, CreatedAt: at(5)}
	WantCode(t, st.CreateAccountWithIdentity(ctx, &dup, news.Identity{Provider: "google", Subject: "g1", CreatedAt: at(5)}), news.ECONFLICT)
	_, err = st.AccountByEmail(ctx, "dup@x.test")
	WantCode(t, err, news.ENOTFOUND)

	// A pending identity is read until taken, once, and not after it expires.
	p := news.PendingIdentity{TokenHash: "p1", AccountID: a.ID, ExpiresAt: at(60),
		ProviderClaims: news.ProviderClaims{Provider: "google", Subject: "g3", Email: "me@x.test", EmailVerified: true, Name: "나"}}
	Must(t, st.SavePendingIdentity(ctx, p))
	got, err := st.PendingIdentity(ctx, "p1", at(10))
	Must(t, err)
	if diff := cmp.Diff(p, got); diff != "" {
		t.Fatalf("pending identity (-want +got):\n%s", diff)
	}
	_, err = st.PendingIdentity(ctx, "p1", at(61))
	WantCode(t, err, news.ENOTFOUND)
	if _, err := st.TakePendingIdentity(ctx, "p1", at(10)); err != nil {
		t.Fatal(err)
	}
	_, err = st.TakePendingIdentity(ctx, "p1", at(10))
	WantCode(t, err, news.ENOTFOUND)

	// A deleted account leaves no identity behind.
	Must(t, st.DeleteAccount(ctx, a.ID, at(70)))
	_, err = st.IdentityAccount(ctx, "naver", "n1")
	WantCode(t, err, news.ENOTFOUND)
	if list, _ := st.Identities(ctx, a.ID); len(list) != 0 {
		t.Fatalf("identities of a deleted account: %+v", list)
	}
}
