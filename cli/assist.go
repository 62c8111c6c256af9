package cli

import (
	"context"
	"fmt"

	"roadcover"
	"roadcover/assistance"
	"roadcover/world"
)

func init() {
	Register(Command{Name: "assist decide", Summary: "decide one assistance case (JSON from FILE or stdin)", Run: assistDecide})
}

// assistDecide reads one case and writes one decision: JSON (the default)
// or a short text summary for the desk (--format text).
func assistDecide(ctx context.Context, env Env) error {
	fs := NewFlags("assist decide", env)
	lang := fs.String("lang", "", "language of the explanations: en, de, pt, da or sv (default: the case's language, else the market's)")
	format := fs.String("format", "json", "output format: json or text")
	pos, err := ParseInterspersed(fs, env.Args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return &UsageError{Msg: "assist decide takes at most one FILE"}
	}
	if *format != "json" && *format != "text" {
		return &UsageError{Msg: fmt.Sprintf("unknown --format %q: json or text", *format)}
	}
	var l roadcover.Language
	if *lang != "" {
		pl, ok := roadcover.ParseLanguage(*lang)
		if !ok {
			return &UsageError{Msg: fmt.Sprintf("unknown --lang %q: en, de, pt, da or sv", *lang)}
		}
		l = pl
	}
	name := ""
	if len(pos) == 1 {
		name = pos[0]
	}
	data, err := ReadInput(env, name)
	if err != nil {
		return fmt.Errorf("assist decide: %w", err)
	}
	aenv, err := world.Env(ctx, world.FromEnv(env.Getenv))
	if err != nil {
		return fmt.Errorf("assist decide: %w", err)
	}
	c, err := assistance.Decode(data, aenv)
	if err != nil {
		return err
	}
	d, err := assistance.Decide(c, aenv, l)
	if err != nil {
		return err
	}
	if *format == "text" {
		return d.WriteText(env.Stdout)
	}
	out := d.AppendJSON(make([]byte, 0, 4096))
	_, err = env.Stdout.Write(append(out, '\n'))
	return err
}
