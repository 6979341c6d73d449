// Command clock runs the program it was built for with its arguments and appends "<start ns> <end ns>" (wall clock)
// to a file: the vetting benchmark puts it in Trivy's place to clock the Trivy run inside an imagegate scan. A compiled
// wrapper, not a shell script: a shell's own start and its `date` processes would be counted against imagegate.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"time"
)

// Set at build time: go build -ldflags "-X main.target=... -X main.clock=...".
var target, clock string

func main() {
	cmd := exec.Command(target, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	end := time.Now()
	if f, ferr := os.OpenFile(clock, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); ferr == nil {
		fmt.Fprintf(f, "%d %d\n", start.UnixNano(), end.UnixNano())
		f.Close()
	}
	if err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			os.Exit(exit.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "clock:", err)
		os.Exit(127)
	}
}
