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
  jikji generate  부하 시험용 사이트를 만듭니다 (--articles N --comments M)
  jikji user add  직원 계정을 만듭니다 (--email E --name N --role R)
  jikji migrate   데이터베이스 스키마를 최신으로 올립니다 (서버를 띄우지 않고)
  jikji export    사이트 전체를 보관 파일로 내보냅니다 (--out FILE)
  jikji import    보관 파일을 빈 사이트로 가져옵니다 (jikji import FILE)
  jikji import-wordpress  워드프레스 내보내기 파일을 가져옵니다 (FILE.xml --uploads DIR)
  jikji backup    돌아가는 SQLite 사이트를 멈추지 않고 백업합니다 (--out FILE)
  jikji restore   백업을 빈 데이터 폴더로 복원합니다 (jikji restore FILE)
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
	case "generate":
		return runGenerate(ctx, args[1:], stderr)
	case "user":
		return runUser(ctx, args[1:], os.Stdin, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args[1:], stdout, stderr)
	case "export":
		return runExport(ctx, args[1:], stdout, stderr)
	case "import":
		return runImport(ctx, args[1:], stdout, stderr)
	case "import-wordpress":
		return runImportWordPress(ctx, args[1:], stdout, stderr)
	case "backup":
		return runBackup(ctx, args[1:], stdout, stderr)
	case "restore":
		return runRestore(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("알 수 없는 명령: %s", args[0])
	}
}
