// The door to cohorts/: mentor-led cohorts and peer-support circles (issue 12).
export * from './core';
