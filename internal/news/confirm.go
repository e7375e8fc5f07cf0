package news

import (
	"context"
	"time"
)

// sendConfirmation mails a link that confirms email for the account.
func (s *Service) sendConfirmation(ctx context.Context, a Account, email, purpose string) error {
	n, err := s.store.CountMailTokens(ctx, a.ID, purpose, s.Now().Add(-time.Hour))
	if err != nil {
		return err
	}
	if n >= resetsPerAddress {
		return Errorf(ERATELIMITED, "인증 메일을 너무 자주 요청했습니다. 잠시 후 다시 시도해주세요.")
	}
	tok, body, msg, err := s.confirmation(ctx, a, email, purpose)
	if err != nil {
		return err
	}
	return s.store.IssueMailToken(ctx, tok, body, msg)
}

// confirmation writes the token and message that confirm email for a.
func (s *Service) confirmation(ctx context.Context, a Account, email, purpose string) (MailToken, *MailBody, OutMail, error) {
	now := s.Now()
	token := newToken()
	c := mailContent{
		Subject:    "[" + s.siteName(ctx) + "] 이메일 주소를 확인해주세요",
		Heading:    "이메일 주소 확인",
		Paragraphs: []string{a.DisplayName + "님, " + s.siteName(ctx) + " 가입을 환영합니다.", "아래 버튼을 눌러 이 주소(" + email + ")가 맞는지 확인해주세요. 링크는 48시간 동안 쓸 수 있습니다."},
		Button:     mailButton{URL: s.MailOptions.BaseURL + "/confirm-email?token=" + token, Label: "이메일 주소 확인"},
		Note:       "가입하지 않으셨다면 이 메일을 무시하세요.",
	}
	if purpose == MailEmailChange {
		c.Subject = "[" + s.siteName(ctx) + "] 새 이메일 주소를 확인해주세요"
		c.Heading = "새 이메일 주소 확인"
		c.Paragraphs = []string{a.DisplayName + "님, 계정의 이메일 주소를 이 주소(" + email + ")로 바꾸려면 아래 버튼을 눌러주세요. 링크는 48시간 동안 쓸 수 있습니다."}
		c.Note = "요청하지 않으셨다면 이 메일을 무시하세요. 주소는 바뀌지 않습니다."
	}
	body, err := s.renderMail(ctx, c)
	if err != nil {
		return MailToken{}, nil, OutMail{}, err
	}
	tok := MailToken{Hash: HashToken(token), Purpose: purpose, AccountID: a.ID, Email: email, ExpiresAt: now.Add(ConfirmTokenLifetime)}
	msg := OutMail{Kind: purpose, Dedupe: purpose + ":" + tok.Hash, AccountID: a.ID, To: email, CreatedAt: now, NextAt: now}
	return tok, body, msg, nil
}

// ResendConfirmation mails the viewer a new confirmation link.
func (s *Service) ResendConfirmation(ctx context.Context, viewer Account) error {
	if viewer.ID == 0 {
		return errLoginRequired
	}
	p, err := s.store.MailPrefs(ctx, viewer.ID)
	if err != nil {
		return err
	}
	if !p.ConfirmedAt.IsZero() {
		return Errorf(ECONFLICT, "이미 확인된 주소입니다.")
	}
	return s.sendConfirmation(ctx, viewer, viewer.Email, MailConfirm)
}

// ChangeEmail starts moving the viewer's account to a new address: the new
// address gets a link, and the account changes when it is followed.
// Returns EBADLOGIN for a wrong password, EINVALID for a malformed address
// and EEMAILTAKEN for a registered one.
func (s *Service) ChangeEmail(ctx context.Context, viewer Account, newEmail, password string) error {
	if viewer.ID == 0 {
		return errLoginRequired
	}
	ok, err := s.Passwords.Verify(ctx, viewer.PasswordHash, password)
	if err != nil {
		return err
	}
	if !ok {
		return Errorf(EBADLOGIN, "비밀번호가 올바르지 않습니다.")
	}
	email, err := normalizeEmail(newEmail)
	if err != nil {
		return err
	}
	if email == viewer.Email {
		return Errorf(EINVALID, "지금 쓰는 주소와 같습니다.")
	}
	if _, err := s.store.AccountByEmail(ctx, email); err == nil {
		return Errorf(EEMAILTAKEN, "이미 가입된 이메일입니다.")
	} else if !IsNotFound(err) {
		return err
	}
	return s.sendConfirmation(ctx, viewer, email, MailEmailChange)
}

var errBadConfirmLink = &Error{Code: EINVALID, Message: "확인 링크가 만료되었거나 이미 사용되었습니다."}

// ConfirmEmail follows a confirmation link: the address is confirmed, and
// for an address change the account moves to it and the old address is
// told, in one transaction. Returns the new address.
func (s *Service) ConfirmEmail(ctx context.Context, token string) (string, error) {
	if token == "" || len(token) > 100 {
		return "", errBadConfirmLink
	}
	hash, now := HashToken(token), s.Now()
	tok, err := s.store.MailToken(ctx, hash, now)
	if IsNotFound(err) || (err == nil && tok.Purpose != MailConfirm && tok.Purpose != MailEmailChange) {
		return "", errBadConfirmLink
	}
	if err != nil {
		return "", err
	}
	var notice *MailBody
	var msg *OutMail
	if tok.Purpose == MailEmailChange {
		a, err := s.store.Account(ctx, tok.AccountID)
		if err != nil {
			return "", err
		}
		notice, err = s.renderMail(ctx, mailContent{
			Subject:    "[" + s.siteName(ctx) + "] 계정의 이메일 주소가 바뀌었습니다",
			Heading:    "이메일 주소가 바뀌었습니다",
			Paragraphs: []string{a.DisplayName + "님 계정의 이메일 주소가 바뀌었습니다. 새 주소: " + maskEmail(tok.Email), "이 주소로는 더 이상 메일을 보내지 않습니다."},
			Note:       "직접 바꾸지 않으셨다면 바로 고객센터에 알려주세요.",
		})
		if err != nil {
			return "", err
		}
		msg = &OutMail{Kind: MailEmailChanged, Dedupe: MailEmailChanged + ":" + hash, AccountID: a.ID, To: a.Email, CreatedAt: now, NextAt: now}
	}
	tok, err = s.store.ConfirmMailToken(ctx, hash, now, notice, msg)
	if IsNotFound(err) {
		return "", errBadConfirmLink
	}
	if err != nil {
		return "", err
	}
	if tok.Purpose == MailEmailChange {
		s.sessions.clear()
		s.Changes.publish(Change{All: true})
	}
	return tok.Email, nil
}

// maskEmail shows enough of an address to recognise it: ab***@example.com.
func maskEmail(email string) string {
	at := len(email)
	for i := range email {
		if email[i] == '@' {
			at = i
		}
	}
	keep := min(2, at)
	return email[:keep] + "***" + email[at:]
}

// mayComment refuses a reader with an unconfirmed address when the site
// asks for confirmation before commenting.
func (s *Service) mayComment(ctx context.Context, viewer Account) error {
	settings, err := s.store.MailSettings(ctx)
	if err != nil || !settings.ConfirmToComment {
		return err
	}
	p, err := s.store.MailPrefs(ctx, viewer.ID)
	if err != nil {
		return err
	}
	if p.ConfirmedAt.IsZero() {
		return Errorf(EFORBIDDEN, "이메일 주소를 확인한 뒤에 댓글을 쓸 수 있습니다. 알림 설정에서 인증 메일을 다시 받을 수 있습니다.")
	}
	return nil
}

// MailNotice is what a reader is told on their next visit about their
// address: "" when all is well.
func (s *Service) MailNotice(ctx context.Context, viewer Account) (string, error) {
	if viewer.ID == 0 {
		return "", nil
	}
	paused, err := s.store.AddressPaused(ctx, viewer.Email)
	if err != nil || !paused {
		return "", err
	}
	return "메일 서버가 " + viewer.Email + " 주소로 보낸 메일을 여러 번 거부해 발송을 멈췄습니다. 주소를 확인하거나 알림 설정에서 바꿔주세요.", nil
}
