// The door to cohorts/dashboards/: each cohort's overview by role, and its health page for instructors (issue 12,
// item 7).
export { dashboardsRouter } from './dashboards.routes';
export { attendanceChart, ratingsChart } from './dashboard.charts';
