// Command buildkit-refs prints, for each Dockerfile it is given, the images BuildKit would pull to build it,
// or the error BuildKit refuses it with. It runs BuildKit's own Dockerfile frontend code (the pinned
// github.com/moby/buildkit module): parser.DetectSyntax for the frontend image the dockerfile builder forwards
// to, and dockerfile2llb.Dockerfile2LLB with every stage dispatched (AllStages, as the linter does), then with
// each named stage as the build target (so the ONBUILD triggers a stage inherits from an earlier stage fire), and
// an image resolver that records each image asked for instead of asking a registry. imagegate's tests compare
// its Dockerfile reader with this output (DockerfileDifferentialTest).
//
// Input on stdin: one JSON object per line, {"name": "...", "text": "...", "args": {"K": "V"}, "platform":
// "linux/amd64"} (args and platform optional; the platform defaults to linux/amd64, the build platform is the
// target platform). Output on stdout: one JSON object per input line, in order:
// {"name": "...", "syntax": "docker.io/docker/dockerfile:1", "images": ["docker.io/library/alpine:3.20"],
// "onbuild": [[first, last], ...], "error": "..."}. images are sorted and distinct; onbuild holds the line
// ranges of ONBUILD instructions (their references are pulled by downstream builds, not this one).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/containerd/platforms"
	"github.com/distribution/reference"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

type input struct {
	Name     string            `json:"name"`
	Text     string            `json:"text"`
	Args     map[string]string `json:"args"`
	Platform string            `json:"platform"`
}

type output struct {
	Name    string   `json:"name"`
	Syntax  string   `json:"syntax,omitempty"`
	Images  []string `json:"images"`
	OnBuild [][2]int `json:"onbuild"`
	Error   string   `json:"error,omitempty"`
}

// recorder is the image resolver: it remembers every reference BuildKit resolves (FROM images, COPY --from
// and RUN --mount from= images) and answers with an empty image config.
type recorder struct {
	mu   sync.Mutex
	refs map[string]struct{}
}

func (r *recorder) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	r.mu.Lock()
	r.refs[ref] = struct{}{}
	r.mu.Unlock()
	return ref, "", []byte(`{}`), nil
}

func analyze(in input) (out output) {
	out = output{Name: in.Name, Images: []string{}, OnBuild: [][2]int{}}
	defer func() {
		if p := recover(); p != nil {
			out.Images = []string{}
			out.Error = fmt.Sprintf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	dt := []byte(in.Text)
	// The dockerfile builder forwards to the frontend named by the syntax directive (builder/build.go), which
	// the gateway parses with reference.ParseNormalizedNamed and resolves as reference.TagNameOnly.
	if ref, _, _, ok := parser.DetectSyntax(dt); ok {
		named, err := reference.ParseNormalizedNamed(ref)
		if err != nil {
			out.Error = fmt.Sprintf("syntax %q: %v", ref, err)
			return out
		}
		out.Syntax = reference.TagNameOnly(named).String()
	}
	if res, err := parser.Parse(bytes.NewReader(dt)); err == nil {
		for _, n := range res.AST.Children {
			if strings.EqualFold(n.Value, "onbuild") {
				out.OnBuild = append(out.OnBuild, [2]int{n.StartLine, n.EndLine})
			}
		}
	}
	name := in.Platform
	if name == "" {
		name = "linux/amd64"
	}
	platform, err := platforms.Parse(name)
	if err != nil {
		out.Error = fmt.Sprintf("platform %q: %v", name, err)
		return out
	}
	rec := &recorder{refs: map[string]struct{}{}}
	// The capabilities a BuildKit daemon advertises to its frontends (frontend/gateway/gateway.go: opspb.Caps.All()):
	// without them the converter asks a nil set, and panics on RUN --mount=type=bind,rw.
	caps := pb.Caps.CapSet(pb.Caps.All())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	convert := func(target string, all bool, args map[string]string) error {
		_, err := dockerfile2llb.Dockerfile2LLB(ctx, dt, dockerfile2llb.ConvertOpt{
			Config:         dockerui.Config{BuildArgs: args, Target: target},
			TargetPlatform: &platform,
			MetaResolver:   rec,
			AllStages:      all,
			LLBCaps:        &caps,
		})
		return err
	}
	// Every stage dispatched, as the linter does.
	if err := convert("", true, in.Args); err != nil {
		out.Error = err.Error()
		return out
	}
	// ONBUILD triggers of a stage's base fire only for stages a build target reaches: build each named stage as
	// the target too, with TARGETSTAGE kept at the default target's name so ARG values stay the same.
	if stages, metaArgs, ok := parseStages(dt); ok && hasOnbuild(stages) {
		args := map[string]string{}
		declared := false
		for _, a := range metaArgs {
			for _, kv := range a.Args {
				declared = declared || kv.Key == "TARGETSTAGE"
			}
		}
		if !declared {
			last := stages[len(stages)-1].Name
			if last == "" {
				last = "default"
			}
			args["TARGETSTAGE"] = last
		}
		for k, v := range in.Args {
			args[k] = v
		}
		for _, st := range stages {
			if st.Name == "" {
				continue
			}
			if err := convert(st.Name, false, args); err != nil {
				out.Error = err.Error()
				return out
			}
		}
	}
	for ref := range rec.refs {
		out.Images = append(out.Images, ref)
	}
	sort.Strings(out.Images)
	return out
}

// hasOnbuild tells whether a stage has ONBUILD instructions (whose triggers a later stage may inherit).
func hasOnbuild(stages []instructions.Stage) bool {
	for _, st := range stages {
		for _, c := range st.Commands {
			if _, ok := c.(*instructions.OnbuildCommand); ok {
				return true
			}
		}
	}
	return false
}

// parseStages is instructions.Parse with a linter (dockerfile2llb.ListTargets passes none, and panics on
// comments that configure the linter).
func parseStages(dt []byte) ([]instructions.Stage, []instructions.ArgCommand, bool) {
	res, err := parser.Parse(bytes.NewReader(dt))
	if err != nil {
		return nil, nil, false
	}
	stages, metaArgs, err := instructions.Parse(res.AST, linter.New(&linter.Config{}))
	if err != nil {
		return nil, nil, false
	}
	return stages, metaArgs, true
}

func main() {
	in := bufio.NewReader(os.Stdin)
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	dec := json.NewDecoder(in)
	for {
		var req input
		if err := dec.Decode(&req); err != nil {
			if err.Error() == "EOF" {
				break
			}
			fmt.Fprintln(os.Stderr, "buildkit-refs: bad input:", err)
			os.Exit(2)
		}
		if req.Args == nil {
			req.Args = map[string]string{}
		}
		if err := enc.Encode(analyze(req)); err != nil {
			fmt.Fprintln(os.Stderr, "buildkit-refs:", err)
			os.Exit(2)
		}
		// One answer per question, flushed, so a caller may stream.
		if err := w.Flush(); err != nil {
			os.Exit(2)
		}
	}
}
