//go:build linux

package httpapi

import "syscall"

const corkSupported = true

// setCork sets TCP_CORK on the connection: while it is on, the kernel
// holds partial segments back, so that the two writes net/http makes for
// an answer larger than its 4 KiB connection buffer leave as one packet
// when it is turned off.
func setCork(rc syscall.RawConn, on bool) {
	v := 0
	if on {
		v = 1
	}
	rc.Control(func(fd uintptr) {
		syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK, v)
	})
}
