//go:build !linux

package httpapi

import "syscall"

const corkSupported = false

func setCork(syscall.RawConn, bool) {}
