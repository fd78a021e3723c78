// A child process for the loaded-modules test: imports @baton/bot and its test kit, says so, then idles until
// stopped (the recorder asks it for its list meanwhile).
await import('@baton/bot');
await import('@baton/bot/testkit');
process.stdout.write('imported\n');
setInterval(() => undefined, 60_000);
