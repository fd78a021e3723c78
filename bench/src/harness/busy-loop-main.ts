// A CPU hog for the hostile-host scenario: a tight loop that never yields, until it is killed.
let x = 0;
for (;;) x = (x + 1) % 1e9;
