package cli

import (
	"context"
	"fmt"

	"roadcover/insurance"
)

func init() {
	Register(Command{Name: "claim settle", Summary: "settle a motor-insurance claim (Polestar Insurance SE)", Run: claimSettle})
}

// claimSettle runs `roadcover claim settle [--lang xx] [--format json|text] [FILE]`.
func claimSettle(_ context.Context, env Env) error {
	fs := NewFlags("claim settle", env)
	lang := fs.String("lang", "", "language of the texts: sv (default), en, de, pt, da")
	format := fs.String("format", "json", "output format: json or text")
	pos, err := ParseInterspersed(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return &UsageError{Msg: "claim settle takes at most one FILE"}
	}
	if *format != "json" && *format != "text" {
		return &UsageError{Msg: fmt.Sprintf("unknown --format %q; expected json or text", *format)}
	}
	name := ""
	if len(pos) == 1 {
		name = pos[0]
	}
	data, err := ReadInput(env, name)
	if err != nil {
		return fmt.Errorf("claim settle: read input: %w", err)
	}
	if *format == "json" {
		out, err := insurance.SettleJSON(data, *lang)
		if err != nil {
			return err
		}
		_, err = env.Stdout.Write(append(out, '\n'))
		return err
	}
	s, err := insurance.SettleText(data, *lang)
	if err != nil {
		return err
	}
	return s.WriteText(env.Stdout)
}
