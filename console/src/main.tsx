import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { currentLanguage } from './i18n';
import { startWorker } from './offline/worker';
import './styles.css';

document.documentElement.lang = currentLanguage();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
startWorker();
