// Package cli implements the roadcover subcommands. Each command group lives
// in its own file and registers itself; Main dispatches and maps errors to
// exit codes (0 done, 1 failure, 2 bad input) through roadcover.Codes.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"roadcover"
)

// Env is what a command may touch: its arguments and the standard streams.
type Env struct {
	Args   []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// Command is one subcommand ("assist decide", "serve").
type Command struct {
	Name    string // words of the command, e.g. "assist decide"
	Summary string
	Run     func(ctx context.Context, env Env) error
}

var commands = map[string]Command{}

// Register adds a command; commands register themselves from init.
func Register(c Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// UsageError is a command-line usage mistake (exit 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Main runs the command named by args and returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv}
	cmd, rest, ok := find(args)
	if !ok {
		if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			usage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "roadcover: unknown command %q\n\n", strings.Join(args, " "))
		usage(stderr)
		return 2
	}
	env.Args = rest
	err := cmd.Run(ctx, env)
	return report(err, stderr)
}

func find(args []string) (Command, []string, bool) {
	for n := len(args); n > 0; n-- {
		if c, ok := commands[strings.Join(args[:n], " ")]; ok {
			return c, args[n:], true
		}
	}
	return Command{}, nil, false
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: roadcover COMMAND [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-22s %s\n", n, commands[n].Summary)
	}
}

// report prints an error: input errors as an RFC 9457 problem document on
// stderr (exit 2), usage errors as text (exit 2), others as text (exit 1).
func report(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0 // the flag set has printed the command's usage
	}
	var ue *UsageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "roadcover:", ue.Msg)
		return 2
	}
	var ie *roadcover.InputError
	var ce *roadcover.Error
	if errors.As(err, &ie) || errors.As(err, &ce) {
		WriteProblem(stderr, err)
		return roadcover.ExitCode(err)
	}
	fmt.Fprintln(stderr, "roadcover:", err)
	return 1
}

// WriteProblem writes the problem document of err as indented JSON.
func WriteProblem(w io.Writer, err error) {
	p := roadcover.ProblemFor(err)
	b, _ := json.MarshalIndent(p, "", "  ")
	w.Write(append(b, '\n'))
}

// NewFlags returns a flag set for a command whose errors go to env.Stderr.
func NewFlags(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet("roadcover "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// ReadInput reads the named file, or standard input when name is "" or "-".
func ReadInput(env Env, name string) ([]byte, error) {
	if name == "" || name == "-" {
		return io.ReadAll(env.Stdin)
	}
	return os.ReadFile(name)
}

// FlagError turns an error of flag parsing into a usage error (exit 2);
// -h/--help stays flag.ErrHelp.
func FlagError(err error) error {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return &UsageError{Msg: err.Error()}
}

// ParseInterspersed parses flags that may come before or after positional
// arguments ("decide case.json --lang de") and returns the positionals.
func ParseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, FlagError(err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
