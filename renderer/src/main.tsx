import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { setupI18n } from './app/i18n';
import { App } from './app/App';
import './app/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('OneMap: #root element missing from index.html');

void setupI18n().then(() => {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
