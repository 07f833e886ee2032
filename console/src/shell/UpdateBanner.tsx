import { useSyncExternalStore } from 'react';
import { texts, useTexts } from '../i18n';
import { reloadToNewest, subscribeVersion, versionState } from '../offline/worker';

const T = texts({
  id: {
    changed: 'Versi baru konsol tersedia. Laporan yang belum terkirim menunggu sampai konsol dimuat ulang.',
    reload: 'Muat ulang',
  },
  en: {
    changed: 'A new version of the console is available. Unsent reports wait until the console reloads.',
    reload: 'Reload',
  },
});

export function UpdateBanner() {
  const t = useTexts(T);
  const state = useSyncExternalStore(subscribeVersion, versionState);
  if (state !== 'changed') return null;
  return (
    <div className="notice" role="status">
      {t.changed}{' '}
      <button type="button" onClick={reloadToNewest}>
        {t.reload}
      </button>
    </div>
  );
}
