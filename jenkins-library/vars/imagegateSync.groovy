import io.imagegate.jenkins.library.ImagegateCli

/**
 * imagegateSync: imagegate sync on the agent, for the whole sync file or one shard of it (shard: 'INDEX/COUNT'); the
 * library's own step, the plugin has none (see docs/jenkins.md and docs/scale.md).
 */
def call(Map args = [:]) {
    return ImagegateCli.run(this, 'imagegateSync', args)
}
