import io.imagegate.jenkins.library.ImagegateCli

/** imagegateUpdate: the plugin's step of the same name, run through the imagegate CLI on the agent (see docs/jenkins.md). */
def call(Map args = [:]) {
    return ImagegateCli.run(this, 'imagegateUpdate', args)
}
