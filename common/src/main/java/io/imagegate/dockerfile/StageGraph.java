package io.imagegate.dockerfile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows BuildKit v0.34.2 frontend/dockerfile/instructions/parse.go (Parse: global ARGs, then
 * stages) and dockerfile2llb/convert.go (dispatchStates, buildStageDependencyGraph, resolveStages
 * with allReachableStages and initOnBuildTriggers) with validations.go
 * (validateCircularDependency): the stages of a Dockerfile, which stage each is built on, copies or
 * mounts from, and which stages run the ONBUILD triggers of the stage they are built on. What the
 * stages' FROM lines and sources name is {@link DockerfileReader}'s to resolve; this class keeps
 * the graph.
 */
final class StageGraph {
    /** A stage: its FROM node and what it became. Filled in while the reader resolves the file. */
    static final class Stage {
        final BuildKitParser.Node from;
        final List<BuildKitParser.Node> commands = new ArrayList<>();
        final int index;

        /** The lower-case stage name, empty when it has none. */
        final String name;

        /** The stage this one is built FROM, if any. */
        Stage base;

        /** Whether the ONBUILD triggers of its base stage run in it. */
        boolean triggers;

        /** Stages this one copies or mounts from. */
        final List<Stage> sources = new ArrayList<>();

        /**
         * The working directory after the stage's instructions, null when it depends on variables.
         */
        String workdir = "/";

        Stage(BuildKitParser.Node from, int index) {
            this.from = from;
            this.index = index;
            this.name = from.args.size() == 3 ? GoText.toLower(from.args.get(2).value()) : "";
        }

        /** The name BuildKit's messages give the stage. */
        String displayName() {
            return name.isEmpty() ? "stage-" + index : name;
        }

        /** Its ONBUILD instructions that hold a trigger. */
        List<BuildKitParser.Node> onbuilds() {
            List<BuildKitParser.Node> out = new ArrayList<>();
            for (BuildKitParser.Node node : commands) {
                if (GoText.toLower(node.value).equals("onbuild") && node.child != null) {
                    out.add(node);
                }
            }
            return out;
        }
    }

    /**
     * dispatchState as far as references go: a stage, or an image that COPY --from or a mount
     * brought in.
     */
    record State(Stage stage, String image) {}

    private final List<BuildKitParser.Node> metaArgs;
    private final List<Stage> stages;
    private final Map<String, Stage> byName = new HashMap<>();

    /** dispatchStates.states: the stages added so far, and the images sources brought in. */
    private final List<State> states = new ArrayList<>();

    private StageGraph(List<BuildKitParser.Node> metaArgs, List<Stage> stages) {
        this.metaArgs = List.copyOf(metaArgs);
        this.stages = List.copyOf(stages);
    }

    /**
     * instructions.Parse: every instruction checked, the ARGs before the first FROM, then each
     * stage's instructions.
     */
    static StageGraph parse(List<BuildKitParser.Node> nodes) throws ParseError {
        List<Stage> stages = new ArrayList<>();
        List<BuildKitParser.Node> metaArgs = new ArrayList<>();
        for (BuildKitParser.Node node : nodes) {
            String instruction;
            try {
                instruction = Instructions.check(node);
            } catch (ParseError e) {
                throw new ParseError(node.startLine, e.getMessage());
            }
            if (stages.isEmpty() && instruction.equals("arg")) {
                metaArgs.add(node);
            } else if (instruction.equals("from")) {
                stages.add(new Stage(node, stages.size()));
            } else if (stages.isEmpty()) {
                throw new ParseError(
                        node.startLine,
                        "no build stage in current context: only ARG may come before the first FROM");
            } else {
                stages.get(stages.size() - 1).commands.add(node);
            }
        }
        if (stages.isEmpty()) {
            throw new ParseError(
                    nodes.get(0).startLine, "dockerfile contains no stages to build: add a FROM");
        }
        return new StageGraph(metaArgs, stages);
    }

    List<BuildKitParser.Node> metaArgs() {
        return metaArgs;
    }

    List<Stage> stages() {
        return stages;
    }

    /** The stage added under this exact (lower-case) name, or null. */
    Stage named(String name) {
        return byName.get(name);
    }

    /** dispatchStates.addState, once the stage's base is known: later stages can name it. */
    void add(Stage stage) {
        if (!stage.name.isEmpty()) {
            byName.put(stage.name, stage);
        }
        states.add(new State(stage, null));
    }

    /** findStateByIndex for {@code COPY --from=<n>}. */
    State byIndex(long index) throws ParseError {
        if (index < 0 || index >= states.size()) {
            throw new ParseError("invalid stage index " + index);
        }
        State source = states.get((int) index);
        if (source.stage() == null) {
            states.add(source); // BuildKit registers an image source again when an index names it
        }
        return source;
    }

    /** findStateByName, else a new image source (registered as BuildKit registers it). */
    State byName(String name) {
        Stage named = byName.get(GoText.toLower(name));
        if (named != null) {
            return new State(named, null);
        }
        State image = new State(null, name);
        states.add(image);
        return image;
    }

    /**
     * A stage's source: it must come before the stage using it (validateCircularDependency, then
     * dispatch order); {@code laterProblem} is BuildKit's message when it does not.
     */
    void source(Stage stage, State source, boolean trigger, String laterProblem) throws ParseError {
        if (source.stage() == null) {
            return;
        }
        stage.sources.add(source.stage());
        if (source.stage() == stage && !trigger) {
            throw new ParseError("circular dependency detected on stage: " + stage.displayName());
        }
        if (source.stage().index > stage.index) {
            throw new ParseError(laterProblem);
        }
    }

    /**
     * resolveStages: a stage built FROM a stage of this file runs that stage's ONBUILD triggers
     * when a build target reaches it. Every stage that can be a target counts (the last stage, and
     * the last stage of each name); others are reached through their bases, COPY --from and mounts.
     * Sets {@link Stage#triggers}.
     */
    void markTriggers() {
        Set<Stage> reachable = new HashSet<>();
        for (Stage stage : stages) {
            if ((!stage.name.isEmpty() && byName.get(stage.name) == stage)
                    || stage.index == stages.size() - 1) {
                reachable.add(stage);
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Stage stage : stages) {
                if (reachable.contains(stage)) {
                    if (stage.base != null) {
                        grew |= reachable.add(stage.base);
                    }
                    for (Stage dep : stage.sources) {
                        grew |= reachable.add(dep);
                    }
                }
            }
        }
        for (Stage stage : stages) {
            stage.triggers = stage.base != null && reachable.contains(stage);
        }
    }
}
