// Package e2e tests the built roadcover binary end to end: `roadcover serve`
// on a real SQLite file and a real PostgreSQL server, killed with SIGKILL
// while clients write, restarted, and checked for every acknowledged write.
// It holds tests only.
package e2e
