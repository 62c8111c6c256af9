// Command roadcover runs Polestar Assistance and Polestar Insurance terms as
// code: decisions, settlements and the assistance desk service.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"roadcover/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
