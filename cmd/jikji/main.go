// Command jikji runs a Jikji news site and its maintenance tasks.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `jikji — 한 바이너리로 돌아가는 뉴스 사이트

사용법:
  jikji serve     사이트를 띄웁니다
  jikji reindex   검색 색인을 다시 만듭니다
  jikji user add  직원 계정을 만듭니다 (--email E --name N --role R)
  jikji help      이 도움말

명령마다 --help 로 옵션을 볼 수 있습니다.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "jikji:", err)
		os.Exit(1)
	}
}

// run dispatches a subcommand.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("명령을 지정해주세요")
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stderr)
	case "reindex":
		return runReindex(ctx, args[1:], stdout, stderr)
	case "user":
		return runUser(ctx, args[1:], os.Stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("알 수 없는 명령: %s", args[0])
	}
}
