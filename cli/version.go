package cli

import (
	"context"
	"fmt"

	"roadcover/terms"
)

func init() {
	Register(Command{Name: "terms list", Summary: "list the terms versions the product runs", Run: termsList})
}

func termsList(_ context.Context, env Env) error {
	if err := flagsOnly(NewFlags("terms list", env), env.Args); err != nil {
		return err
	}
	for _, v := range terms.All() {
		fmt.Fprintf(env.Stdout, "%-24s %-10s %s  %s  from %s  (%d clauses, %d parameters, %d readings)\n",
			v.ID, v.Document, v.Market, v.Language, v.InForceFrom, len(v.Clauses), len(v.Parameters), len(v.Readings))
	}
	return nil
}
