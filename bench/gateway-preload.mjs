// Preloaded into a third-party server the benchmarks start (`node --import ./gateway-preload.mjs`):
// binds every server it opens to 127.0.0.1, whatever host it asks for, so nothing listens beyond
// this machine; and ends the process when the benchmark closes its stdin (or dies), so no server
// outlives the run.
import net from 'node:net'

const listen = net.Server.prototype.listen
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (typeof args[0] === 'number' || typeof args[0] === 'string') {
    if (typeof args[1] === 'string' || args[1] === undefined || args[1] === null) args[1] = '127.0.0.1'
    else args.splice(1, 0, '127.0.0.1')
  } else if (typeof args[0] === 'object' && args[0] !== null && args[0].path === undefined) {
    args[0] = { ...args[0], host: '127.0.0.1' }
  }
  return listen.apply(this, args)
}

process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
