package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/mattn/go-isatty"

	"jikji/internal/news"
	"jikji/internal/password"
)

const userUsage = `사용법:
  jikji user add --email E --name N --role R [--password-file F]
  jikji user reset-2fa --email E

역할(R): reader, moderator, reporter, editor, admin
--password-file 이 없으면 비밀번호를 표준 입력의 첫 줄에서 읽습니다.
새 사이트의 첫 관리자를 만들 때 씁니다. 그다음부터는 뉴스룸의 /newsroom/staff 에서 역할을 바꿀 수 있습니다.
reset-2fa 는 휴대전화를 잃어버린 직원의 2단계 인증을 지우고 모든 로그인을 끝냅니다. 다음 로그인 때 다시 설정합니다.
`

// runUser manages staff accounts from the command line; it may run while a
// server is running on the same site.
func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "reset-2fa" {
		return runResetTwoFactor(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprint(stderr, userUsage)
		return fmt.Errorf("jikji user add 또는 jikji user reset-2fa 를 지정해주세요")
	}
	var c Config
	var email, name, role, passwordFile string
	fs := newSiteFlagSet("user add", stderr, &c)
	fs.StringVar(&email, "email", "", "e-mail of the account")
	fs.StringVar(&name, "name", "", "display name")
	fs.StringVar(&role, "role", "", "reader, moderator, reporter, editor or admin")
	fs.StringVar(&passwordFile, "password-file", "", "file whose first line is the password (default: standard input)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if email == "" || name == "" || role == "" {
		fmt.Fprint(stderr, userUsage)
		return fmt.Errorf("--email, --name, --role 을 모두 지정해주세요")
	}
	if f, ok := stdin.(*os.File); ok && passwordFile == "" && isatty.IsTerminal(f.Fd()) {
		fmt.Fprint(stderr, "비밀번호: ")
	}
	pw, err := readPassword(stdin, passwordFile)
	if err != nil {
		return err
	}
	st, closeStore, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer closeStore()
	svc := news.NewService(st)
	svc.Passwords = password.New(c.PasswordCost, runtime.GOMAXPROCS(0))
	a, err := svc.CreateStaff(ctx, email, pw, name, role)
	if err != nil {
		var de *news.Error
		if errors.As(err, &de) {
			return errors.New(de.Message)
		}
		return err
	}
	fmt.Fprintf(stdout, "계정을 만들었습니다: #%d %s <%s> (%s)\n", a.ID, a.DisplayName, a.Email, a.Role)
	return nil
}

// readPassword reads the first line of the file, or of stdin.
func readPassword(stdin io.Reader, file string) (string, error) {
	r := stdin
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return "", fmt.Errorf("비밀번호 파일: %w", err)
		}
		defer f.Close()
		r = f
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("비밀번호 읽기: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", fmt.Errorf("비밀번호가 비어 있습니다 (--password-file 또는 표준 입력)")
	}
	return pw, nil
}
