package news

import "context"

// MailLink is the kind of the message that confirms linking a provider's
// login to an account.
const MailLink = "link"

// OutboxLinkConfirmations sends the confirmations of linking a provider's
// login through the outbox, like every other account mail.
func (s *Service) OutboxLinkConfirmations() LinkConfirmations { return outboxLinks{s} }

type outboxLinks struct{ s *Service }

// SendLinkConfirmation queues the mail; the same link is queued once, however
// often the button is pressed.
func (o outboxLinks) SendLinkConfirmation(ctx context.Context, a Account, provider, confirmURL string) error {
	s := o.s
	site := s.siteName(ctx)
	body, err := s.renderMail(ctx, mailContent{
		Subject: "[" + site + "] " + provider + " 로그인 연결을 확인해주세요",
		Heading: "로그인 연결 확인",
		Paragraphs: []string{
			a.DisplayName + "님, " + provider + " 로그인을 " + site + " 계정(" + a.Email + ")에 연결하려는 요청이 있었습니다.",
			"본인이 요청하셨다면 아래 버튼을 눌러 연결해주세요. 링크는 1시간 동안 한 번만 쓸 수 있습니다.",
		},
		Button: mailButton{URL: confirmURL, Label: "로그인 연결"},
		Note:   "요청하지 않으셨다면 이 메일을 무시하세요. 아무것도 연결되지 않습니다.",
	})
	if err != nil {
		return err
	}
	now := s.Now()
	_, err = s.store.QueueMail(ctx, body, []OutMail{{
		Kind: MailLink, Dedupe: MailLink + ":" + HashToken(confirmURL), AccountID: a.ID, To: a.Email, CreatedAt: now, NextAt: now,
	}}, nil)
	return err
}
