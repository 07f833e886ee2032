export { Loading, Page } from './Page';
export { ProblemAlert } from './ProblemAlert';
